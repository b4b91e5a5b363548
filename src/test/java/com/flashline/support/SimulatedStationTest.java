package com.flashline.support;

import com.flashline.dfu.DfuOptions;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/**
 * The full service with a simulated 8-port STM32F407 fixture at datasheet timing on a
 * {@link GatedClock} (instant, unless a test closes the gate), 8 workers, no boards until a test
 * plugs them, no simulated operator, a short wait for a board that does not come back after a reset. Test classes with this annotation share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@FlashLineSpringTest
@TestPropertySource(properties = {
        "flashline.simulator.enabled=true",
        "flashline.simulator.ports=8",
        "flashline.simulator.chip=STM32F407",
        "flashline.simulator.time-scale=1",
        "flashline.simulator.plug-at-start=false",
        "flashline.simulator.replace-finished-after=0s",
        "flashline.workers=8",
        "flashline.jobs.max-attempts=3",
        // Simulated boards enumerate again before the job asks for them; only a board that
        // never comes back is waited for this long (real time).
        "flashline.dfu.reenumeration-timeout=1s"})
@Import(SimulatedStationTest.Clock.class)
public @interface SimulatedStationTest {

    @TestConfiguration(proxyBeanMethods = false)
    class Clock {
        /** Replaces the system {@link com.flashline.dfu.DfuClock} for the engine and the boards. */
        @Bean
        @Primary
        GatedClock gatedClock() {
            return new GatedClock();
        }

        /**
         * The engine's deadlines are measured on the virtual clock, which every job's sleeps move
         * on: a worker the scheduler leaves waiting while seven others flash can see its 10 s
         * command timeout pass in virtual time without having waited at all. Widened, so that only
         * a real hang fails a job here; the timeouts themselves are tested on the engine.
         */
        @Bean
        DfuOptions engineOptions() {
            return DfuOptions.defaults().withCommandTimeout(Duration.ofHours(1))
                    .withTransferTimeout(Duration.ofHours(1));
        }
    }
}
