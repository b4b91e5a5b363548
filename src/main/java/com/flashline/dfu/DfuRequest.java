package com.flashline.dfu;

/**
 * The seven DFU 1.1 class requests (AN3156 Tables 1 and 2). GETSTATUS, GETSTATE and UPLOAD carry
 * data from the device to the host; AN3156 Table 2 prints 00100001b for the first two, which is a
 * typo: DFU 1.1 section 6 gives 10100001b, and so do real ROMs.
 */
public enum DfuRequest {
    DETACH(0x00, false),
    DNLOAD(0x01, false),
    UPLOAD(0x02, true),
    GETSTATUS(0x03, true),
    CLRSTATUS(0x04, false),
    GETSTATE(0x05, true),
    ABORT(0x06, false);

    /** Length of a GETSTATUS answer. */
    public static final int STATUS_LENGTH = 6;
    /** Length of a GETSTATE answer. */
    public static final int STATE_LENGTH = 1;

    private final int code;
    private final boolean deviceToHost;

    DfuRequest(int code, boolean deviceToHost) {
        this.code = code;
        this.deviceToHost = deviceToHost;
    }

    public int code() {
        return code;
    }

    public boolean isDeviceToHost() {
        return deviceToHost;
    }

    public int bmRequestType() {
        return deviceToHost ? ControlSetup.CLASS_INTERFACE_IN : ControlSetup.CLASS_INTERFACE_OUT;
    }

    /** The SETUP packet for this request on the given interface. */
    public ControlSetup setup(int wValue, int interfaceNumber, int wLength) {
        return new ControlSetup(bmRequestType(), code, wValue, interfaceNumber, wLength);
    }

    /** values() clones its array on every call; decoding runs for every GETSTATUS. */
    private static final DfuRequest[] VALUES = values();

    /** The request with this bRequest code, or {@code null} when it is not a DFU class request. */
    public static DfuRequest fromCode(int code) {
        for (DfuRequest r : VALUES) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
