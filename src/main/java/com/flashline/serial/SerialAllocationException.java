package com.flashline.serial;

/** A serial number could not be allocated; {@code code} is the job error code to record. */
public class SerialAllocationException extends RuntimeException {

    /** The sequence has run past what the format or record length can hold. */
    public static final String EXHAUSTED = "SERIAL_EXHAUSTED";
    /** The recipe does not serialise. */
    public static final String NOT_SERIALISED = "SERIAL_NOT_CONFIGURED";

    private final String code;

    public SerialAllocationException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
