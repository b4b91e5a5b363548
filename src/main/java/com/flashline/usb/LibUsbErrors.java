package com.flashline.usb;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.StallException;
import com.flashline.dfu.TransferTimeoutException;
import com.flashline.dfu.TransportException;
import com.flashline.dfu.TransportIoException;
import org.usb4java.LibUsb;

/** Maps libusb error codes to the transport exceptions the DFU engine tells apart. */
final class LibUsbErrors {

    private LibUsbErrors() {
    }

    /**
     * @param code   a negative {@code LIBUSB_ERROR_*} value
     * @param action what was being done, for the message ("GETSTATUS", "claim interface 0")
     * @param setup  the failed transfer's SETUP, or {@code null} outside a transfer
     */
    static TransportException toException(int code, String action, ControlSetup setup) {
        String message = action + " failed: " + describe(code);
        return switch (code) {
            case LibUsb.ERROR_NO_DEVICE -> new DeviceGoneException(message, setup);
            case LibUsb.ERROR_PIPE -> new StallException(message, setup);
            case LibUsb.ERROR_TIMEOUT -> new TransferTimeoutException(message, setup);
            default -> new TransportIoException(message, setup);
        };
    }

    /** Throws the mapped exception when {@code result} is a libusb error, else returns it. */
    static int check(int result, String action) {
        if (result < 0) {
            throw toException(result, action, null);
        }
        return result;
    }

    static String describe(int code) {
        return switch (code) {
            case LibUsb.ERROR_IO -> "LIBUSB_ERROR_IO";
            case LibUsb.ERROR_INVALID_PARAM -> "LIBUSB_ERROR_INVALID_PARAM";
            case LibUsb.ERROR_ACCESS -> "LIBUSB_ERROR_ACCESS (no permission on the device node; see the udev rule)";
            case LibUsb.ERROR_NO_DEVICE -> "LIBUSB_ERROR_NO_DEVICE";
            case LibUsb.ERROR_NOT_FOUND -> "LIBUSB_ERROR_NOT_FOUND";
            case LibUsb.ERROR_BUSY -> "LIBUSB_ERROR_BUSY (another program claimed the interface)";
            case LibUsb.ERROR_TIMEOUT -> "LIBUSB_ERROR_TIMEOUT";
            case LibUsb.ERROR_OVERFLOW -> "LIBUSB_ERROR_OVERFLOW";
            case LibUsb.ERROR_PIPE -> "LIBUSB_ERROR_PIPE (stall)";
            case LibUsb.ERROR_INTERRUPTED -> "LIBUSB_ERROR_INTERRUPTED";
            case LibUsb.ERROR_NO_MEM -> "LIBUSB_ERROR_NO_MEM";
            case LibUsb.ERROR_NOT_SUPPORTED -> "LIBUSB_ERROR_NOT_SUPPORTED";
            default -> "libusb error " + code;
        };
    }
}
