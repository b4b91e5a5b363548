package com.flashline.dfu;

import com.flashline.error.FailureCode;

/** Any other transfer failure (I/O error, overflow, short setup) the transport could not classify. */
public class TransportIoException extends TransportException {

    public TransportIoException(String message, ControlSetup setup, Throwable cause) {
        super(message, setup, cause);
    }

    public TransportIoException(String message, ControlSetup setup) {
        this(message, setup, null);
    }

    @Override
    public FailureCode errorCode() {
        return FailureCode.USB_IO;
    }
}
