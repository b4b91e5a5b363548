package com.flashline.dfu;

import com.flashline.error.FailureCode;

/** DFU 1.1 bStatus values (section 6.1.2). */
public enum DfuStatusCode {
    OK(0x00, FailureCode.DFU_UNEXPECTED_STATE,
            "No error condition is present"),
    ERR_TARGET(0x01, FailureCode.DFU_ERR_TARGET,
            "File is not targeted for use by this device / address outside the device map"),
    ERR_FILE(0x02, FailureCode.DFU_ERR_FILE,
            "File is for this device but fails some vendor-specific verification test"),
    ERR_WRITE(0x03, FailureCode.DFU_ERR_WRITE,
            "Device is unable to write memory"),
    ERR_ERASE(0x04, FailureCode.DFU_ERR_ERASE,
            "Memory erase function failed"),
    ERR_CHECK_ERASED(0x05, FailureCode.DFU_ERR_CHECK_ERASED,
            "Memory erase check failed"),
    ERR_PROG(0x06, FailureCode.DFU_ERR_PROG,
            "Program memory function failed"),
    ERR_VERIFY(0x07, FailureCode.DFU_ERR_VERIFY,
            "Programmed memory failed verification"),
    ERR_ADDRESS(0x08, FailureCode.DFU_ERR_ADDRESS,
            "Cannot program memory due to received address that is out of range"),
    ERR_NOTDONE(0x09, FailureCode.DFU_ERR_NOTDONE,
            "Received DFU_DNLOAD with wLength = 0, but device does not think it has all of the data yet"),
    ERR_FIRMWARE(0x0A, FailureCode.DFU_ERR_FIRMWARE,
            "Device's firmware is corrupt"),
    ERR_VENDOR(0x0B, FailureCode.DFU_ERR_VENDOR,
            "Vendor-specific error (STM32: read protection active)"),
    ERR_USBR(0x0C, FailureCode.DFU_ERR_USBR,
            "Device detected unexpected USB reset signaling"),
    ERR_POR(0x0D, FailureCode.DFU_ERR_POR,
            "Device detected unexpected power on reset"),
    ERR_UNKNOWN(0x0E, FailureCode.DFU_ERR_UNKNOWN,
            "Something went wrong, but the device does not know what it was"),
    ERR_STALLEDPKT(0x0F, FailureCode.DFU_ERR_STALLEDPKT,
            "Device stalled an unexpected request");

    private final int code;
    private final FailureCode failureCode;
    private final String description;

    DfuStatusCode(int code, FailureCode failureCode, String description) {
        this.code = code;
        this.failureCode = failureCode;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /**
     * The job failure code of a device reporting this status: {@code DFU_} and the name. A device
     * that reports dfuERROR with status OK is in a state it should not be in.
     */
    public FailureCode failureCode() {
        return failureCode;
    }

    /** The DFU 1.1 spelling, e.g. {@code errTARGET}. */
    public String specName() {
        if (this == OK) {
            return "OK";
        }
        return "err" + name().substring(4).replace("_", "");
    }

    /** values() clones its array on every call; decoding runs for every GETSTATUS. */
    private static final DfuStatusCode[] VALUES = values();

    public static DfuStatusCode fromCode(int code) {
        for (DfuStatusCode s : VALUES) {
            if (s.code == code) {
                return s;
            }
        }
        throw new DfuProtocolException("unknown bStatus " + code);
    }

    @Override
    public String toString() {
        return specName();
    }
}
