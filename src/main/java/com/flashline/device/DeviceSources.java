package com.flashline.device;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.flashing.DeviceConnector;
import java.util.List;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/**
 * Every device source of this station, the simulator's first (its ports are named), USB after it
 * (it takes every other path). Starts and stops them with the application.
 */
public final class DeviceSources implements SmartLifecycle {

    /** Whether any device source is configured: the worker pool and the health check exist only then. */
    public static final String ANY_ENABLED = "${flashline.usb.enabled:true} or ${flashline.simulator.enabled:false}";

    private final List<DeviceSource> sources;
    private volatile boolean running;

    public DeviceSources(List<DeviceSource> sources) {
        this.sources = sources.stream()
                .sorted((a, b) -> Boolean.compare(b instanceof SimulatedFixture, a instanceof SimulatedFixture))
                .toList();
    }

    public List<DeviceSource> all() {
        return sources;
    }

    public Optional<DeviceSource> forPort(String portPath) {
        return sources.stream().filter(s -> s.owns(portPath)).findFirst();
    }

    /** The connector of the source owning {@code portPath}; one that always fails when no source does. */
    public DeviceConnector connector(String portPath) {
        return forPort(portPath).map(s -> s.connector(portPath)).orElse(timeout -> {
            throw new DeviceGoneException("no device source owns port " + portPath, null);
        });
    }

    @Override
    public void start() {
        sources.forEach(DeviceSource::start);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        sources.forEach(DeviceSource::stop);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
