package com.flashline.usb.emulation;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.StallException;
import com.flashline.dfu.TransferTimeoutException;
import com.flashline.dfu.UsbDeviceInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The USB device side of one emulated board: everything a real device answers on endpoint 0.
 * Standard requests (descriptors, GET_STATUS, configuration and interface selection) are answered
 * here from the {@link DeviceSpec}; DFU class requests go to the backend {@link DfuTransport},
 * whose exceptions become what the host would see on a wire: a stall, a vanished device, or no
 * answer at all (the host times out).
 */
public final class EmulatedDevice {

    /** Negative errno values usbdevfs reports in an URB's status. */
    public static final int OK = 0;
    public static final int STALL = -32;       // -EPIPE
    public static final int NO_DEVICE = -19;   // -ENODEV
    public static final int PROTOCOL_ERROR = -71; // -EPROTO

    private static final Logger log = LoggerFactory.getLogger(EmulatedDevice.class);
    private static final Duration BACKEND_TIMEOUT = Duration.ofMinutes(2);
    private static final int DFU_INTERFACE = 0;
    private static final int FIRST_ALT_STRING = 4;

    /** The answer to one control transfer; {@link #NONE} means the device never answers. */
    public record Answer(int status, byte[] data) {
        public static final Answer NONE = new Answer(OK, null);

        static Answer ok(byte[] data) {
            return new Answer(OK, data);
        }

        static Answer status(int status) {
            return new Answer(status, new byte[0]);
        }

        public boolean answered() {
            return data != null;
        }
    }

    private final DeviceSpec spec;
    private final DfuTransport backend;
    private volatile int currentAlt;

    public EmulatedDevice(DeviceSpec spec, DfuTransport backend) {
        this.spec = spec;
        this.backend = backend;
    }

    public DeviceSpec spec() {
        return spec;
    }

    /** Device descriptor followed by the full configuration descriptor, as sysfs "descriptors" holds them. */
    public byte[] sysfsDescriptors() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(deviceDescriptor());
        out.writeBytes(configDescriptor());
        return out.toByteArray();
    }

    public byte[] deviceDescriptor() {
        UsbDeviceInfo id = spec.identity();
        return new byte[] {18, 1, 0x00, 0x02, 0, 0, 0, 64,
            lo(id.vendorId()), hi(id.vendorId()), lo(id.productId()), hi(id.productId()),
            lo(id.bcdDevice()), hi(id.bcdDevice()), 1, 2, 3, 1};
    }

    /** One interface, one DFU alt setting per name, and the functional descriptor after the LAST one, as STM32 ROMs do. */
    public byte[] configDescriptor() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int alt = 0; alt < spec.altNames().size(); alt++) {
            body.writeBytes(new byte[] {9, 4, DFU_INTERFACE, (byte) alt, 0, (byte) 0xFE, 1, 2,
                (byte) (FIRST_ALT_STRING + alt)});
        }
        body.writeBytes(spec.functional().encode());
        int total = 9 + body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {9, 2, lo(total), hi(total), 1, 1, 0, (byte) 0xC0, 50});
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** The string descriptor with this index, as the device would send it (before wLength truncation). */
    public byte[] stringDescriptor(int index) {
        if (index == 0) {
            return new byte[] {4, 3, 0x09, 0x04};
        }
        String text = switch (index) {
            case 1 -> spec.identity().manufacturer();
            case 2 -> spec.identity().product();
            case 3 -> spec.identity().serialNumber();
            default -> index - FIRST_ALT_STRING < spec.altNames().size() && index >= FIRST_ALT_STRING
                    ? spec.altNames().get(index - FIRST_ALT_STRING) : null;
        };
        if (text == null) {
            return null;
        }
        byte[] units = text.getBytes(StandardCharsets.UTF_16LE);
        int length = Math.min(254, units.length) + 2;
        byte[] d = new byte[length];
        d[0] = (byte) length;
        d[1] = 3;
        System.arraycopy(units, 0, d, 2, length - 2);
        return spec.truncatedStrings() ? Arrays.copyOf(d, length - 1) : d;
    }

    /** Answers one control transfer. Blocks as long as the backend does. */
    public Answer answer(ControlSetup setup, byte[] outData) {
        try {
            if ((setup.bmRequestType() & 0x60) == 0x20) {
                return classRequest(setup, outData);
            }
            if ((setup.bmRequestType() & 0x60) == 0) {
                return standardRequest(setup);
            }
            return Answer.status(STALL);
        } catch (StallException e) {
            return Answer.status(STALL);
        } catch (DeviceGoneException e) {
            return Answer.status(NO_DEVICE);
        } catch (TransferTimeoutException e) {
            return Answer.NONE;
        } catch (RuntimeException e) {
            log.debug("backend failed on {}", setup, e);
            return Answer.status(PROTOCOL_ERROR);
        }
    }

    /** The kernel's SET_INTERFACE ioctl: a standard request the bridge forwards outside an URB. */
    public int selectAltSetting(int interfaceNumber, int alternateSetting) {
        Answer a = answer(new ControlSetup(0x01, 11, alternateSetting, interfaceNumber, 0), new byte[0]);
        return a.answered() ? a.status() : PROTOCOL_ERROR;
    }

    private Answer classRequest(ControlSetup setup, byte[] outData) {
        if (setup.isDeviceToHost()) {
            byte[] data = backend.controlIn(setup, BACKEND_TIMEOUT);
            return Answer.ok(data.length > setup.wLength() ? Arrays.copyOf(data, setup.wLength()) : data);
        }
        backend.controlOut(setup, outData, BACKEND_TIMEOUT);
        return Answer.ok(new byte[0]);
    }

    private Answer standardRequest(ControlSetup s) {
        int request = s.bRequest();
        if (s.bmRequestType() == 0x80 && request == 6) {
            byte[] d = switch (s.wValue() >> 8) {
                case 1 -> deviceDescriptor();
                case 2 -> configDescriptor();
                case 3 -> stringDescriptor(s.wValue() & 0xFF);
                default -> null;
            };
            return d == null ? Answer.status(STALL) : Answer.ok(Arrays.copyOf(d, Math.min(d.length, s.wLength())));
        }
        if ((s.bmRequestType() == 0x80 || s.bmRequestType() == 0x81) && request == 0) {
            return Answer.ok(new byte[] {0, 0});
        }
        if (s.bmRequestType() == 0x80 && request == 8) {
            return Answer.ok(new byte[] {1});
        }
        if (s.bmRequestType() == 0x00 && request == 9) {
            return Answer.ok(new byte[0]);
        }
        if (s.bmRequestType() == 0x81 && request == 10) {
            return Answer.ok(new byte[] {(byte) currentAlt});
        }
        if (s.bmRequestType() == 0x01 && request == 11) {
            if (s.wIndex() != DFU_INTERFACE || s.wValue() >= spec.altNames().size()) {
                return Answer.status(STALL);
            }
            backend.selectAltSetting(s.wValue());
            currentAlt = s.wValue();
            return Answer.ok(new byte[0]);
        }
        return Answer.status(STALL);
    }

    private static byte lo(int v) {
        return (byte) v;
    }

    private static byte hi(int v) {
        return (byte) (v >>> 8);
    }
}
