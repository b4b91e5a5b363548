package com.flashline.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The interlock settings: the yield guard is off by default and its values are range-checked at start-up. */
class InterlockPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(InterlockProperties.class)
    static class Config {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void theYieldGuardIsOffByDefaultAndOnOnlyWithAWindowAndAMinimum() {
        runner.run(context -> {
            InterlockProperties properties = context.getBean(InterlockProperties.class);
            assertThat(properties.maxConsecutiveFailures()).isEqualTo(3);
            assertThat(properties.yieldGuardOn()).isFalse();
        });
        runner.withPropertyValues("flashline.interlock.yield-window=20").run(context ->
                assertThat(context.getBean(InterlockProperties.class).yieldGuardOn()).isFalse());
        runner.withPropertyValues("flashline.interlock.yield-window=20", "flashline.interlock.min-yield=0.9")
                .run(context -> assertThat(context.getBean(InterlockProperties.class).yieldGuardOn()).isTrue());
    }

    @Test
    void valuesOutOfRangeStopTheStart() {
        runner.withPropertyValues("flashline.interlock.min-yield=1.5").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("flashline.interlock.min-yield=-0.1").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("flashline.interlock.yield-window=-1").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("flashline.interlock.yield-window=10001").run(context -> assertThat(context).hasFailed());
    }
}
