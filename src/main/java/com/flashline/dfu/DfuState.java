package com.flashline.dfu;

/** DFU 1.1 device states (section 6.1.2), by their bState value. */
public enum DfuState {
    APP_IDLE(0, "appIDLE"),
    APP_DETACH(1, "appDETACH"),
    DFU_IDLE(2, "dfuIDLE"),
    DFU_DNLOAD_SYNC(3, "dfuDNLOAD-SYNC"),
    DFU_DNBUSY(4, "dfuDNBUSY"),
    DFU_DNLOAD_IDLE(5, "dfuDNLOAD-IDLE"),
    DFU_MANIFEST_SYNC(6, "dfuMANIFEST-SYNC"),
    DFU_MANIFEST(7, "dfuMANIFEST"),
    DFU_MANIFEST_WAIT_RESET(8, "dfuMANIFEST-WAIT-RESET"),
    DFU_UPLOAD_IDLE(9, "dfuUPLOAD-IDLE"),
    DFU_ERROR(10, "dfuERROR");

    private final int code;
    private final String specName;

    DfuState(int code, String specName) {
        this.code = code;
        this.specName = specName;
    }

    public int code() {
        return code;
    }

    /** The name DFU 1.1 and AN3156 use, e.g. {@code dfuDNLOAD-IDLE}. */
    public String specName() {
        return specName;
    }

    /** values() clones its array on every call; decoding runs for every GETSTATUS. */
    private static final DfuState[] VALUES = values();

    public static DfuState fromCode(int code) {
        for (DfuState s : VALUES) {
            if (s.code == code) {
                return s;
            }
        }
        throw new DfuProtocolException("unknown bState " + code);
    }

    @Override
    public String toString() {
        return specName;
    }
}
