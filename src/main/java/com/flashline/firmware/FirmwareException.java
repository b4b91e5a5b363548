package com.flashline.firmware;

/** Base of the two ways an image is refused: it cannot be read, or it does not fit the device. */
public abstract sealed class FirmwareException extends RuntimeException
        permits FirmwareFormatException, FirmwareValidationException {

    protected FirmwareException(String message) {
        super(message);
    }
}
