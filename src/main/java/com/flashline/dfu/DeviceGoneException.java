package com.flashline.dfu;

import com.flashline.error.FailureCode;

/** The device disconnected (unplugged, reset or re-enumerating). Never retried on the same handle. */
public class DeviceGoneException extends TransportException {

    public DeviceGoneException(String message, ControlSetup setup, Throwable cause) {
        super(message, setup, cause);
    }

    public DeviceGoneException(String message, ControlSetup setup) {
        this(message, setup, null);
    }

    @Override
    public FailureCode errorCode() {
        return FailureCode.DEVICE_GONE;
    }
}
