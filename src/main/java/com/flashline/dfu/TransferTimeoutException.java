package com.flashline.dfu;

import com.flashline.error.FailureCode;

/** A control transfer was not answered within its timeout. */
public class TransferTimeoutException extends TransportException {

    public TransferTimeoutException(String message, ControlSetup setup, Throwable cause) {
        super(message, setup, cause);
    }

    public TransferTimeoutException(String message, ControlSetup setup) {
        this(message, setup, null);
    }

    @Override
    public FailureCode errorCode() {
        return FailureCode.USB_TIMEOUT;
    }
}
