package com.flashline.usb;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuProtocolException;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.TransportIoException;
import com.flashline.dfu.UsbDeviceInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.usb4java.ConfigDescriptor;
import org.usb4java.Device;
import org.usb4java.DeviceDescriptor;
import org.usb4java.DeviceHandle;
import org.usb4java.Interface;
import org.usb4java.InterfaceDescriptor;
import org.usb4java.LibUsb;

/**
 * {@link DfuTransport} over usb4java: one opened device with its DFU interface claimed. Descriptors
 * and strings are read once in {@link #open}; every transfer then goes through one direct buffer
 * owned by the transport, so flashing a megabyte does not allocate a megabyte of native memory.
 */
public final class UsbDfuTransport implements DfuTransport {

    static final int DFU_INTERFACE_CLASS = 0xFE;
    static final int DFU_INTERFACE_SUBCLASS = 0x01;
    private static final Duration STRING_TIMEOUT = Duration.ofSeconds(1);
    private static final int GET_DESCRIPTOR = 0x06;
    private static final int STANDARD_DEVICE_IN = 0x80;
    private static final int MIN_BUFFER = 4096;

    private final DeviceHandle handle;
    private final int interfaceNumber;
    private final UsbDeviceInfo deviceInfo;
    private final List<DfuAltSetting> altSettings;
    private final DfuFunctionalDescriptor functionalDescriptor;
    private final Runnable onClose;
    private final TransferActivity activity;
    private ByteBuffer transferBuffer;
    private int currentAltSetting = -1;
    private boolean closed;

    private UsbDfuTransport(DeviceHandle handle, int interfaceNumber, UsbDeviceInfo deviceInfo,
            List<DfuAltSetting> altSettings, DfuFunctionalDescriptor functionalDescriptor, Runnable onClose,
            TransferActivity activity) {
        this.handle = handle;
        this.interfaceNumber = interfaceNumber;
        this.deviceInfo = deviceInfo;
        this.altSettings = List.copyOf(altSettings);
        this.functionalDescriptor = functionalDescriptor;
        this.onClose = onClose;
        this.activity = activity;
        this.transferBuffer = ByteBuffer.allocateDirect(Math.max(MIN_BUFFER, functionalDescriptor.transferSize()));
    }

    /**
     * Opens {@code device}, reads its descriptors and strings, and claims its DFU interface
     * (detaching a kernel driver first where the platform supports that). The caller keeps its own
     * reference to {@code device}; the transport needs none after this returns.
     *
     * @param portPath the device's port path, recorded in {@link #deviceInfo()}
     * @throws com.flashline.dfu.TransportException when the device cannot be opened or claimed
     * @throws DfuProtocolException when the device has no DFU interface or functional descriptor
     */
    public static UsbDfuTransport open(Device device, String portPath) {
        return open(device, portPath, () -> { }, TransferActivity.NONE);
    }

    static UsbDfuTransport open(Device device, String portPath, Runnable onClose, TransferActivity activity) {
        DeviceDescriptor descriptor = new DeviceDescriptor();
        LibUsbErrors.check(LibUsb.getDeviceDescriptor(device, descriptor), "read device descriptor");
        DfuInterface dfu = readDfuInterface(device);
        DeviceHandle handle = new DeviceHandle();
        LibUsbErrors.check(LibUsb.open(device, handle), "open device at " + portPath);
        boolean claimed = false;
        try {
            StringReader strings = new StringReader(handle, activity);
            UsbDeviceInfo info = new UsbDeviceInfo(descriptor.idVendor() & 0xFFFF, descriptor.idProduct() & 0xFFFF,
                    descriptor.bcdDevice() & 0xFFFF, strings.readQuietly(descriptor.iManufacturer()),
                    strings.readQuietly(descriptor.iProduct()), strings.readQuietly(descriptor.iSerialNumber()),
                    portPath);
            List<DfuAltSetting> alts = new ArrayList<>();
            for (int[] alt : dfu.alternates()) {
                String name = strings.read(alt[1]);
                alts.add(new DfuAltSetting(dfu.number(), alt[0], name == null ? "" : name));
            }
            detachKernelDriver(handle, dfu.number());
            LibUsbErrors.check(LibUsb.claimInterface(handle, dfu.number()), "claim interface " + dfu.number());
            claimed = true;
            return new UsbDfuTransport(handle, dfu.number(), info, alts, dfu.functional(), onClose, activity);
        } finally {
            if (!claimed) {
                LibUsb.close(handle);
            }
        }
    }

    /**
     * Reads the identity of a device without claiming it: vid, pid, bcdDevice and the three
     * strings (null where unreadable, e.g. when another program holds the device open exclusively).
     */
    static UsbDeviceInfo readInfo(Device device, String portPath, TransferActivity activity) {
        DeviceDescriptor descriptor = new DeviceDescriptor();
        LibUsbErrors.check(LibUsb.getDeviceDescriptor(device, descriptor), "read device descriptor");
        String manufacturer = null;
        String product = null;
        String serial = null;
        DeviceHandle handle = new DeviceHandle();
        if (LibUsb.open(device, handle) == LibUsb.SUCCESS) {
            try {
                StringReader strings = new StringReader(handle, activity);
                manufacturer = strings.readQuietly(descriptor.iManufacturer());
                product = strings.readQuietly(descriptor.iProduct());
                serial = strings.readQuietly(descriptor.iSerialNumber());
            } finally {
                LibUsb.close(handle);
            }
        }
        return new UsbDeviceInfo(descriptor.idVendor() & 0xFFFF, descriptor.idProduct() & 0xFFFF,
                descriptor.bcdDevice() & 0xFFFF, manufacturer, product, serial, portPath);
    }

    /** The port path of a device from its bus number and port chain; empty for a root hub, which has none. */
    public static Optional<PortPath> portPath(Device device) {
        ByteBuffer ports = ByteBuffer.allocateDirect(PortPath.MAX_DEPTH);
        int count = LibUsb.getPortNumbers(device, ports);
        if (count <= 0) {
            return Optional.empty();
        }
        int[] chain = new int[count];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = ports.get(i) & 0xFF;
        }
        return Optional.of(PortPath.of(LibUsb.getBusNumber(device), chain));
    }

    @Override
    public UsbDeviceInfo deviceInfo() {
        return deviceInfo;
    }

    @Override
    public List<DfuAltSetting> altSettings() {
        return altSettings;
    }

    @Override
    public DfuFunctionalDescriptor functionalDescriptor() {
        return functionalDescriptor;
    }

    /** The number of the claimed DFU interface (the wIndex of class requests). */
    public int interfaceNumber() {
        return interfaceNumber;
    }

    @Override
    public void selectAltSetting(int alternateSetting) {
        ensureOpen();
        if (alternateSetting == currentAltSetting) {
            return;
        }
        LibUsbErrors.check(LibUsb.setInterfaceAltSetting(handle, interfaceNumber, alternateSetting),
                "select alt setting " + alternateSetting);
        currentAltSetting = alternateSetting;
    }

    @Override
    public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
        if (setup.isDeviceToHost()) {
            throw new IllegalArgumentException("controlOut needs a host-to-device request: " + setup);
        }
        if (data.length != setup.wLength()) {
            throw new IllegalArgumentException("data length " + data.length + " differs from wLength in " + setup);
        }
        ensureOpen();
        ByteBuffer buffer = window(data.length);
        buffer.put(data).rewind();
        int sent = transfer(setup, buffer, timeout);
        if (sent != data.length) {
            throw new TransportIoException("device took " + sent + " of " + data.length + " bytes", setup);
        }
    }

    @Override
    public byte[] controlIn(ControlSetup setup, Duration timeout) {
        if (!setup.isDeviceToHost()) {
            throw new IllegalArgumentException("controlIn needs a device-to-host request: " + setup);
        }
        ensureOpen();
        ByteBuffer buffer = window(setup.wLength());
        int received = transfer(setup, buffer, timeout);
        byte[] data = new byte[received];
        buffer.get(0, data);
        return data;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibUsb.releaseInterface(handle, interfaceNumber);
        } catch (RuntimeException ignored) {
            // a device that is gone has no interface to release
        }
        try {
            LibUsb.close(handle);
        } catch (RuntimeException ignored) {
            // nothing left to free on our side
        }
        transferBuffer = null;
        onClose.run();
    }

    @Override
    public String toString() {
        return "UsbDfuTransport[" + deviceInfo.portPath() + " " + deviceInfo.vidPid() + "]";
    }

    private int transfer(ControlSetup setup, ByteBuffer buffer, Duration timeout) {
        int result = controlTransfer(activity, handle, setup.bmRequestType(), setup.bRequest(), setup.wValue(),
                setup.wIndex(), buffer, timeoutMillis(timeout));
        if (result < 0) {
            throw LibUsbErrors.toException(result, "control transfer", setup);
        }
        return result;
    }

    /** A synchronous control transfer, counted in {@code activity} while it runs. */
    private static int controlTransfer(TransferActivity activity, DeviceHandle handle, int requestType, int request,
            int value, int index, ByteBuffer buffer, long timeoutMillis) {
        activity.started();
        try {
            return LibUsb.controlTransfer(handle, (byte) requestType, (byte) request, (short) value, (short) index,
                    buffer, timeoutMillis);
        } finally {
            activity.finished();
        }
    }

    /** A view of the shared direct buffer whose capacity is exactly {@code length} (libusb's wLength). */
    private ByteBuffer window(int length) {
        if (transferBuffer.capacity() < length) {
            transferBuffer = ByteBuffer.allocateDirect(length);
        }
        return transferBuffer.clear().limit(length).slice();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static long timeoutMillis(Duration timeout) {
        // libusb reads 0 as "wait forever"; a caller asking for no time at all gets the shortest wait.
        return Math.max(1, timeout.toMillis());
    }

    private static void detachKernelDriver(DeviceHandle handle, int interfaceNumber) {
        if (!LibUsb.hasCapability(LibUsb.CAP_SUPPORTS_DETACH_KERNEL_DRIVER)) {
            return;
        }
        if (LibUsb.kernelDriverActive(handle, interfaceNumber) == 1) {
            LibUsbErrors.check(LibUsb.detachKernelDriver(handle, interfaceNumber),
                    "detach kernel driver from interface " + interfaceNumber);
        }
    }

    /** The DFU interface of the active configuration: its number, alt settings (number, iInterface) and functional descriptor. */
    private record DfuInterface(int number, List<int[]> alternates, DfuFunctionalDescriptor functional) {
    }

    private static DfuInterface readDfuInterface(Device device) {
        ConfigDescriptor config = new ConfigDescriptor();
        int result = LibUsb.getActiveConfigDescriptor(device, config);
        if (result == LibUsb.ERROR_NOT_FOUND) {
            result = LibUsb.getConfigDescriptor(device, (byte) 0, config);
        }
        LibUsbErrors.check(result, "read configuration descriptor");
        try {
            // The STM32 ROM puts the functional descriptor after the LAST alt setting, so collect the
            // extra bytes of the configuration and of every alt setting (copied: they die with config).
            ByteArrayOutputStream extras = new ByteArrayOutputStream();
            append(extras, config.extra(), config.extraLength());
            for (Interface iface : config.iface()) {
                List<int[]> alternates = new ArrayList<>();
                int number = -1;
                for (InterfaceDescriptor alt : iface.altsetting()) {
                    if ((alt.bInterfaceClass() & 0xFF) != DFU_INTERFACE_CLASS
                            || (alt.bInterfaceSubClass() & 0xFF) != DFU_INTERFACE_SUBCLASS) {
                        continue;
                    }
                    number = alt.bInterfaceNumber() & 0xFF;
                    alternates.add(new int[] {alt.bAlternateSetting() & 0xFF, alt.iInterface() & 0xFF});
                    append(extras, alt.extra(), alt.extraLength());
                }
                if (number >= 0) {
                    return new DfuInterface(number, alternates, DfuFunctionalDescriptor.find(extras.toByteArray()));
                }
            }
            throw new DfuProtocolException("device has no DFU interface (class FEh, subclass 01h)");
        } finally {
            LibUsb.freeConfigDescriptor(config);
        }
    }

    private static void append(ByteArrayOutputStream out, ByteBuffer extra, int length) {
        if (extra == null || length <= 0) {
            return;
        }
        byte[] copy = new byte[length];
        extra.duplicate().rewind().get(copy);
        out.writeBytes(copy);
    }

    /** Reads string descriptors raw, so that a truncated descriptor still yields what arrived. */
    private static final class StringReader {
        private final DeviceHandle handle;
        private final TransferActivity activity;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(StringDescriptors.MAX_LENGTH);
        private int language = -1;

        StringReader(DeviceHandle handle, TransferActivity activity) {
            this.handle = handle;
            this.activity = activity;
        }

        String read(int index) {
            if (index == 0) {
                return null;
            }
            if (language < 0) {
                byte[] languages = fetch(0, 0);
                language = StringDescriptors.firstLanguage(languages, languages.length);
            }
            byte[] raw = fetch(index, language);
            return StringDescriptors.decode(raw, raw.length);
        }

        String readQuietly(int index) {
            try {
                return read(index);
            } catch (RuntimeException e) {
                return null;
            }
        }

        private byte[] fetch(int index, int languageId) {
            buffer.clear();
            int received = controlTransfer(activity, handle, STANDARD_DEVICE_IN, GET_DESCRIPTOR,
                    StringDescriptors.TYPE << 8 | index, languageId, buffer, STRING_TIMEOUT.toMillis());
            if (received < 0) {
                throw LibUsbErrors.toException(received, "read string descriptor " + index, null);
            }
            byte[] raw = new byte[received];
            buffer.get(0, raw);
            return raw;
        }
    }
}
