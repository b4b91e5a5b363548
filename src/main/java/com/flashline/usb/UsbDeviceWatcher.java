package com.flashline.usb;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.TransportIoException;
import com.flashline.dfu.UsbDeviceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.usb4java.Context;
import org.usb4java.Device;
import org.usb4java.DeviceDescriptor;
import org.usb4java.DeviceList;
import org.usb4java.HotplugCallbackHandle;
import org.usb4java.LibUsb;

/**
 * Watches USB for DFU devices of one vendor and product ID and opens them by port path.
 *
 * <p>Threads: one libusb event thread runs {@code libusb_handle_events} (hotplug callbacks land
 * there and are only queued), and one dispatch thread owns all bookkeeping, reads device strings,
 * rescans the bus every {@link Settings#rescanInterval()} (the safety net for missed events, and
 * the only mechanism where libusb has no hotplug) and calls the {@link DeviceListener}. While
 * control transfers run, the event thread stands aside ({@link TransferActivity}) and the
 * transferring threads handle libusb's events, hotplug callbacks included.
 *
 * <p>If libusb cannot start, the watcher still constructs: {@link #status()} is DOWN with the
 * reason, no device ever arrives and {@link #open} fails.
 */
public final class UsbDeviceWatcher implements AutoCloseable {

    /**
     * @param vendorId       the USB vendor ID to watch (ST: 0x0483)
     * @param productId      the USB product ID to watch (ST DFU bootloader: 0xDF11)
     * @param rescanInterval how often the whole bus is listed, hotplug or not
     */
    public record Settings(int vendorId, int productId, Duration rescanInterval) {
        public Settings {
            if (vendorId < 0 || vendorId > 0xFFFF || productId < 0 || productId > 0xFFFF) {
                throw new IllegalArgumentException(String.format("bad vid:pid %x:%x", vendorId, productId));
            }
            if (rescanInterval == null || rescanInterval.isNegative() || rescanInterval.isZero()) {
                throw new IllegalArgumentException("rescan interval must be positive: " + rescanInterval);
            }
        }

        /** ST's DFU bootloader 0483:df11, rescanned every two seconds. */
        public static Settings stmBootloader() {
            return new Settings(UsbDeviceInfo.ST_VENDOR_ID, UsbDeviceInfo.ST_DFU_PRODUCT_ID, Duration.ofSeconds(2));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(UsbDeviceWatcher.class);
    private static final long EVENT_WAIT_MICROS = 250_000;
    /** How long the event thread leaves event handling to the transferring threads after their last transfer. */
    private static final Duration TRANSFERS_QUIET = Duration.ofMillis(50);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final Settings settings;
    private final DeviceListener listener;
    private final Context context = new Context();
    private final Map<String, UsbDeviceInfo> known = new ConcurrentHashMap<>();
    private final Set<UsbDfuTransport> openTransports = ConcurrentHashMap.newKeySet();
    private final TransferActivity transfers = new TransferActivity(TRANSFERS_QUIET, System::nanoTime);
    private final PresenceTracker<Integer> tracker;
    private final List<Runnable> pendingNotifications = new ArrayList<>();
    private volatile UsbStatus status;
    private volatile boolean running;
    private boolean hotplug;
    private HotplugCallbackHandle hotplugHandle;
    private Thread eventThread;
    /** Set by the dispatcher's thread factory, so that close() can wait until the thread has ended, not only its tasks. */
    private volatile Thread dispatchThread;
    private ScheduledExecutorService dispatcher;

    private UsbDeviceWatcher(Settings settings, DeviceListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.tracker = new PresenceTracker<>(new TrackerSink());
    }

    /** Starts watching; never throws for a missing or broken libusb (see {@link #status()}). */
    public static UsbDeviceWatcher start(Settings settings, DeviceListener listener) {
        UsbDeviceWatcher watcher = new UsbDeviceWatcher(settings, listener);
        watcher.startLibUsb();
        return watcher;
    }

    public UsbStatus status() {
        return status;
    }

    /** Whether libusb delivers hotplug events here; without them only the rescan finds devices. */
    public boolean hotplugSupported() {
        return hotplug;
    }

    public Settings settings() {
        return settings;
    }

    /** The devices present now, as last reported to the listener. */
    public List<UsbDeviceInfo> devices() {
        return List.copyOf(known.values());
    }

    /** Asks for a rescan as soon as the dispatch thread is free (e.g. after a fixture reset). */
    public void rescanNow() {
        submit(this::rescan);
    }

    /**
     * Opens the device on {@code portPath} and claims its DFU interface. The transport must be
     * closed by the caller; those still open when the watcher closes are closed with it.
     *
     * @throws IllegalArgumentException when {@code portPath} is not a {@link PortPath}
     * @throws DeviceGoneException when no watched device is on that port
     * @throws TransportIoException when USB is down
     */
    public UsbDfuTransport open(String portPath) {
        PortPath.parse(portPath);
        if (!status.isUp()) {
            throw new TransportIoException("USB is unavailable: " + status.reason(), null);
        }
        Integer address;
        synchronized (tracker) {
            address = tracker.itemAt(portPath);
        }
        if (address == null) {
            throw new DeviceGoneException("no " + vidPid() + " device on port " + portPath, null);
        }
        UsbDfuTransport[] opened = new UsbDfuTransport[1];
        withDevice(portPath, address, device -> {
            opened[0] = UsbDfuTransport.open(device, portPath, () -> openTransports.remove(opened[0]), transfers);
            return opened[0];
        });
        openTransports.add(opened[0]);
        return opened[0];
    }

    /**
     * Runs {@code action} on the libusb device at this port and address while the device list
     * holds it. usb4java's Device objects from hotplug callbacks and device lists are invalidated
     * when those return, so no Device is ever kept: the port path and address are the identity.
     */
    private <R> R withDevice(String portPath, int address, java.util.function.Function<Device, R> action) {
        DeviceList list = new DeviceList();
        LibUsbErrors.check(LibUsb.getDeviceList(context, list), "list USB devices");
        try {
            for (Device device : list) {
                if (LibUsb.getDeviceAddress(device) == address
                        && UsbDfuTransport.portPath(device).map(PortPath::value).filter(portPath::equals).isPresent()) {
                    return action.apply(device);
                }
            }
        } finally {
            LibUsb.freeDeviceList(list, true);
        }
        throw new DeviceGoneException("the device on port " + portPath + " (address " + address + ") is gone", null);
    }

    /** Stops both threads, closes transports still open, drops every device reference and exits libusb. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        status = UsbStatus.down("USB watcher closed");
        if (hotplugHandle != null) {
            LibUsb.hotplugDeregisterCallback(context, hotplugHandle);
        }
        transfers.close();
        LibUsb.interruptEventHandler(context);
        join(eventThread);
        dispatcher.shutdownNow();
        try {
            if (!dispatcher.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("USB dispatch thread did not stop; a listener is blocking it");
            } else if (dispatchThread != null && dispatchThread != Thread.currentThread()) {
                join(dispatchThread);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (UsbDfuTransport transport : List.copyOf(openTransports)) {
            transport.close();
        }
        synchronized (tracker) {
            tracker.clear();
            pendingNotifications.clear();
        }
        known.clear();
        LibUsb.exit(context);
    }

    private void startLibUsb() {
        int result;
        try {
            result = LibUsb.init(context);
        } catch (RuntimeException | LinkageError e) {
            status = UsbStatus.down("libusb native library could not be loaded: " + e);
            log.warn("USB disabled", e);
            return;
        }
        if (result != LibUsb.SUCCESS) {
            status = UsbStatus.down("libusb_init failed: " + LibUsbErrors.describe(result));
            log.warn("USB disabled: {}", status.reason());
            return;
        }
        running = true;
        dispatcher = Executors.newSingleThreadScheduledExecutor(r -> dispatchThread = daemon(r, "usb-dispatch"));
        hotplug = LibUsb.hasCapability(LibUsb.CAP_HAS_HOTPLUG) && registerHotplug();
        eventThread = daemon(this::handleEvents, "usb-events");
        eventThread.start();
        dispatcher.scheduleWithFixedDelay(this::rescan, 0, settings.rescanInterval().toMillis(), TimeUnit.MILLISECONDS);
        status = UsbStatus.up(hotplug ? "hotplug and rescan every " + settings.rescanInterval()
                : "no hotplug support; rescan every " + settings.rescanInterval());
    }

    private boolean registerHotplug() {
        HotplugCallbackHandle handle = new HotplugCallbackHandle();
        int result = LibUsb.hotplugRegisterCallback(context,
                LibUsb.HOTPLUG_EVENT_DEVICE_ARRIVED | LibUsb.HOTPLUG_EVENT_DEVICE_LEFT, LibUsb.HOTPLUG_NO_FLAGS,
                settings.vendorId(), settings.productId(), LibUsb.HOTPLUG_MATCH_ANY,
                (ctx, device, event, userData) -> onHotplug(device, event), null, handle);
        if (result != LibUsb.SUCCESS) {
            log.warn("libusb hotplug registration failed ({}); rescanning only", LibUsbErrors.describe(result));
            return false;
        }
        hotplugHandle = handle;
        return true;
    }

    private void handleEvents() {
        int lastFailure = LibUsb.SUCCESS;
        while (running) {
            try {
                if (!transfers.awaitQuiet()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int result = LibUsb.handleEventsTimeoutCompleted(context, EVENT_WAIT_MICROS, null);
            boolean failed = result != LibUsb.SUCCESS && result != LibUsb.ERROR_INTERRUPTED;
            // A vanished device can make every pass fail the same way; say so once, not thousands of times.
            if (failed && result != lastFailure && running) {
                log.warn("libusb event handling failed: {}", LibUsbErrors.describe(result));
            }
            lastFailure = failed ? result : LibUsb.SUCCESS;
        }
    }

    /**
     * Runs on whichever thread handles libusb events (the event thread, or a job inside its
     * transfer): no I/O here, only take a reference and queue the work.
     */
    private int onHotplug(Device device, int event) {
        boolean arrived = event == LibUsb.HOTPLUG_EVENT_DEVICE_ARRIVED;
        String portPath;
        int address;
        try {
            portPath = UsbDfuTransport.portPath(device).map(PortPath::value)
                    .orElseThrow(() -> new IllegalStateException("a root hub is on no port"));
            address = LibUsb.getDeviceAddress(device);
        } catch (RuntimeException e) {
            log.warn("cannot place a hotplugged device", e);
            return 0;
        }
        submit(() -> {
            synchronized (tracker) {
                if (arrived) {
                    tracker.seen(portPath, address, address);
                } else {
                    tracker.left(portPath, address);
                }
            }
            notifyListener();
        });
        return 0;
    }

    private void rescan() {
        if (!running) {
            return;
        }
        DeviceList list = new DeviceList();
        int count = LibUsb.getDeviceList(context, list);
        if (count < 0) {
            log.warn("listing USB devices failed: {}", LibUsbErrors.describe(count));
            return;
        }
        List<PresenceTracker.Sighting<Integer>> present = new ArrayList<>();
        try {
            DeviceDescriptor descriptor = new DeviceDescriptor();
            for (Device device : list) {
                if (LibUsb.getDeviceDescriptor(device, descriptor) != LibUsb.SUCCESS
                        || (descriptor.idVendor() & 0xFFFF) != settings.vendorId()
                        || (descriptor.idProduct() & 0xFFFF) != settings.productId()) {
                    continue;
                }
                int address = LibUsb.getDeviceAddress(device);
                UsbDfuTransport.portPath(device).ifPresent(portPath ->
                        present.add(new PresenceTracker.Sighting<>(portPath.value(), address, address)));
            }
        } finally {
            LibUsb.freeDeviceList(list, true);
        }
        synchronized (tracker) {
            tracker.rescanned(present);
        }
        notifyListener();
    }

    /** Runs queued listener calls on the dispatch thread, outside the tracker lock. */
    private void notifyListener() {
        List<Runnable> calls;
        synchronized (tracker) {
            calls = List.copyOf(pendingNotifications);
            pendingNotifications.clear();
        }
        for (Runnable call : calls) {
            try {
                call.run();
            } catch (RuntimeException e) {
                log.warn("USB device listener failed", e);
            }
        }
    }

    private final class TrackerSink implements PresenceTracker.Sink<Integer> {
        @Override
        public void attached(String portPath, int address, Integer item) {
            pendingNotifications.add(() -> {
                UsbDeviceInfo info = readInfo(portPath, address);
                if (info != null) {
                    known.put(portPath, info);
                    listener.arrived(info);
                }
            });
        }

        @Override
        public void detached(String portPath, Integer address) {
            pendingNotifications.add(() -> {
                if (known.remove(portPath) != null) {
                    listener.removed(portPath);
                }
            });
        }

        @Override
        public void duplicate(Integer address) {
            // nothing is held per sighting
        }
    }

    /**
     * Reads the identity of the device now attached at {@code portPath}; null when it was replaced
     * meanwhile (its own arrival is queued behind). Unreadable strings stay null.
     */
    private UsbDeviceInfo readInfo(String portPath, int address) {
        synchronized (tracker) {
            Integer current = tracker.itemAt(portPath);
            if (current == null || current != address) {
                return null;
            }
        }
        try {
            return withDevice(portPath, address, device -> UsbDfuTransport.readInfo(device, portPath, transfers));
        } catch (RuntimeException e) {
            log.debug("cannot read the identity of the device on {}", portPath, e);
            return new UsbDeviceInfo(settings.vendorId(), settings.productId(), 0, null, null, null, portPath);
        }
    }

    private boolean submit(Runnable task) {
        if (!running) {
            return false;
        }
        try {
            dispatcher.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private String vidPid() {
        return String.format("%04x:%04x", settings.vendorId(), settings.productId());
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(SHUTDOWN_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
