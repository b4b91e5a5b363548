package com.flashline.device;

import com.flashline.config.FlashLineProperties;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.TransportIoException;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.flashing.DeviceConnector;
import com.flashline.station.Departure;
import com.flashline.station.DeviceSnapshot;
import com.flashline.station.PortRegistry;
import com.flashline.usb.DeviceListener;
import com.flashline.usb.PortPath;
import com.flashline.usb.UsbDeviceWatcher;
import com.flashline.usb.UsbStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real boards on USB, through {@link UsbDeviceWatcher} (libusb hotplug plus rescans) for the
 * configured vendor and product ID. Arrivals and departures go to the {@link PortRegistry};
 * departures are {@link Departure#UNKNOWN} because libusb cannot tell a reset from a removal.
 * Memory layouts are left empty on arrival (the job reads them when it opens the board), so that
 * nothing but the job itself talks to a board.
 *
 * <p>When libusb cannot start (no native library, no permission), the source still starts: its
 * health is DOWN with the reason, no board ever arrives, and the rest of the service runs.
 */
public final class UsbDeviceSource implements DeviceSource {

    private static final Logger log = LoggerFactory.getLogger(UsbDeviceSource.class);

    private final UsbDeviceWatcher.Settings settings;
    private final UsbWatcher.Factory factory;
    private final PortRegistry registry;
    private final Clock clock;
    private final Map<String, PortPresence> ports = new ConcurrentHashMap<>();
    private volatile UsbWatcher watcher;
    private volatile UsbStatus startFailure;

    public UsbDeviceSource(FlashLineProperties.Usb usb, UsbWatcher.Factory factory, PortRegistry registry,
            Clock clock) {
        this.settings = new UsbDeviceWatcher.Settings(usb.vendorId(), usb.productId(), usb.rescanInterval());
        this.factory = Objects.requireNonNull(factory, "factory");
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "usb";
    }

    @Override
    public synchronized void start() {
        if (watcher != null) {
            return;
        }
        try {
            watcher = factory.start(settings, new Events());
            startFailure = null;
            UsbStatus status = watcher.status();
            if (!status.isUp()) {
                log.warn("USB is unavailable, no real boards will be seen: {}", status.reason());
            }
        } catch (RuntimeException | LinkageError e) {
            startFailure = UsbStatus.down("the USB watcher could not start: " + e);
            log.warn("USB is unavailable, no real boards will be seen", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    /** USB owns every port path that is not another source's (the registry asks the simulator first). */
    @Override
    public boolean owns(String portPath) {
        return PortPath.isValid(portPath);
    }

    @Override
    public DfuTransport open(String portPath) {
        UsbWatcher current = watcher;
        if (current == null) {
            throw new TransportIoException("USB is unavailable: " + status().reason(), null);
        }
        return current.open(portPath);
    }

    @Override
    public DeviceConnector connector(String portPath) {
        return presence(portPath).connector(portPath, () -> open(portPath));
    }

    public UsbStatus status() {
        UsbStatus failure = startFailure;
        if (failure != null) {
            return failure;
        }
        UsbWatcher current = watcher;
        return current == null ? UsbStatus.down("USB watcher not started") : current.status();
    }

    @Override
    public SourceHealth health() {
        UsbStatus status = status();
        if (!status.isUp()) {
            return SourceHealth.down(status.reason());
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("vidPid", String.format("%04x:%04x", settings.vendorId(), settings.productId()));
        facts.put("boards", ports.values().stream().filter(PortPresence::present).count());
        return SourceHealth.up(status.reason(), facts);
    }

    private PortPresence presence(String portPath) {
        return ports.computeIfAbsent(portPath, p -> new PortPresence());
    }

    /** Runs on the watcher's dispatch thread. */
    private final class Events implements DeviceListener {
        @Override
        public void arrived(UsbDeviceInfo info) {
            String path = info.portPath();
            if (!PortPath.isValid(path)) {
                log.warn("ignoring a DFU device on port '{}': not a port path this station can record", path);
                return;
            }
            // The registry first: a job waiting for its reset board to come back must not finish
            // before auto-start has judged this arrival (as the job's board, while it runs).
            try {
                registry.deviceArrived(path, new DeviceSnapshot(info, List.of(), null, clock.instant()));
            } finally {
                presence(path).arrived();
            }
        }

        @Override
        public void removed(String portPath) {
            if (!PortPath.isValid(portPath)) {
                return;
            }
            presence(portPath).departed();
            registry.deviceRemoved(portPath, Departure.UNKNOWN);
        }
    }
}
