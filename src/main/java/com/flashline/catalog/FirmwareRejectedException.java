package com.flashline.catalog;

/**
 * An uploaded firmware file that cannot be stored: {@code reason} is a short machine-readable
 * cause, {@code location} where in the file (e.g. "line 12", "offset 0x40"), or null.
 */
public class FirmwareRejectedException extends RuntimeException {

    private final String reason;
    private final String location;

    public FirmwareRejectedException(String reason, String message, String location) {
        super(message);
        this.reason = reason;
        this.location = location;
    }

    public String reason() {
        return reason;
    }

    public String location() {
        return location;
    }
}
