package com.flashline.device;

import com.flashline.config.FlashLineProperties;
import com.flashline.dfu.DfuClock;
import com.flashline.station.PortRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

@Configuration(proxyBeanMethods = false)
class DeviceSourceSetup {

    /** Time for the DFU engine and the simulated boards; tests replace it with a VirtualClock. */
    @Bean
    DfuClock dfuClock() {
        return DfuClock.SYSTEM;
    }

    @Bean
    @ConditionalOnProperty(name = "flashline.usb.enabled", havingValue = "true", matchIfMissing = true)
    UsbDeviceSource usbDeviceSource(FlashLineProperties properties, PortRegistry registry, Clock clock,
            ObjectProvider<UsbWatcher.Factory> factory) {
        return new UsbDeviceSource(properties.usb(), factory.getIfAvailable(() -> UsbWatcher.Factory.LIBUSB), registry,
                clock);
    }

    /** The simulated operator's hands: replacing finished boards later, without a sleeping thread. */
    @Bean(destroyMethod = "shutdown")
    @ConditionalOnProperty(name = "flashline.simulator.enabled", havingValue = "true")
    ThreadPoolTaskScheduler simulatorScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix("sim-operator-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        return scheduler;
    }

    @Bean
    @ConditionalOnProperty(name = "flashline.simulator.enabled", havingValue = "true")
    SimulatedFixture simulatedFixture(FlashLineProperties properties, DfuClock dfuClock, PortRegistry registry,
            ThreadPoolTaskScheduler simulatorScheduler, Clock clock) {
        return new SimulatedFixture(properties.simulator(), dfuClock, registry, simulatorScheduler, clock);
    }

    @Bean
    @ConditionalOnExpression(DeviceSources.ANY_ENABLED)
    DeviceSources deviceSources(List<DeviceSource> sources, PortRegistry registry, MeterRegistry meters) {
        Gauge.builder("flashline.devices.attached", registry, PortRegistry::attachedDevices)
                .description("Ports with a DFU device attached")
                .register(meters);
        return new DeviceSources(sources);
    }

    @Bean
    @ConditionalOnExpression(DeviceSources.ANY_ENABLED)
    DeviceSourcesHealthIndicator deviceSourcesHealthIndicator(DeviceSources sources) {
        return new DeviceSourcesHealthIndicator(sources);
    }
}
