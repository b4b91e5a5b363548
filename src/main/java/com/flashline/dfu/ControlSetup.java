package com.flashline.dfu;

/**
 * The eight-byte SETUP packet of a USB control transfer, kept as plain fields so that a transport
 * can hand it to libusb unchanged and a simulator can check every field against AN3156 Table 2.
 */
public record ControlSetup(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength) {

    /** bmRequestType bit 7: the data stage flows from the device to the host. */
    public static final int DIRECTION_IN = 0x80;
    /** bmRequestType for DFU class requests addressed to an interface, host to device (00100001b). */
    public static final int CLASS_INTERFACE_OUT = 0x21;
    /** bmRequestType for DFU class requests addressed to an interface, device to host (10100001b). */
    public static final int CLASS_INTERFACE_IN = 0xA1;

    public ControlSetup {
        checkRange("bmRequestType", bmRequestType, 0xFF);
        checkRange("bRequest", bRequest, 0xFF);
        checkRange("wValue", wValue, 0xFFFF);
        checkRange("wIndex", wIndex, 0xFFFF);
        checkRange("wLength", wLength, 0xFFFF);
    }

    public boolean isDeviceToHost() {
        return (bmRequestType & DIRECTION_IN) != 0;
    }

    private static void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " out of range: " + value);
        }
    }

    @Override
    public String toString() {
        return String.format("SETUP[%02x %02x wValue=%d wIndex=%d wLength=%d]",
                bmRequestType, bRequest, wValue, wIndex, wLength);
    }
}
