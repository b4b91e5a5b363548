package com.flashline.dfu;

import com.flashline.error.FailureCode;

/** The device answered the request with a STALL handshake (libusb's PIPE error). */
public class StallException extends TransportException {

    public StallException(String message, ControlSetup setup, Throwable cause) {
        super(message, setup, cause);
    }

    public StallException(String message, ControlSetup setup) {
        this(message, setup, null);
    }

    @Override
    public FailureCode errorCode() {
        return FailureCode.USB_STALL;
    }
}
