package com.flashline.dfu;

/** A control transfer was not answered within its timeout. */
public class TransferTimeoutException extends TransportException {

    public TransferTimeoutException(String message, ControlSetup setup, Throwable cause) {
        super(message, setup, cause);
    }

    public TransferTimeoutException(String message, ControlSetup setup) {
        this(message, setup, null);
    }

    @Override
    public String errorCode() {
        return "USB_TIMEOUT";
    }
}
