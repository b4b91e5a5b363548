package com.flashline.serial;

import com.flashline.error.FailureCode;

/** A serial number could not be allocated; {@code code} is the job error code to record. */
public class SerialAllocationException extends RuntimeException {

    /** The sequence has run past what the format or record length can hold. */
    public static final FailureCode EXHAUSTED = FailureCode.SERIAL_EXHAUSTED;
    /** The recipe does not serialise. */
    public static final FailureCode NOT_SERIALISED = FailureCode.SERIAL_NOT_CONFIGURED;

    private final FailureCode code;

    public SerialAllocationException(FailureCode code, String message) {
        super(message);
        this.code = code;
    }

    public FailureCode code() {
        return code;
    }
}
