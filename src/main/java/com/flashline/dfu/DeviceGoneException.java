package com.flashline.dfu;

/** The device disconnected (unplugged, reset or re-enumerating). Never retried on the same handle. */
public class DeviceGoneException extends TransportException {

    public DeviceGoneException(String message, ControlSetup setup, Throwable cause) {
        super(message, setup, cause);
    }

    public DeviceGoneException(String message, ControlSetup setup) {
        this(message, setup, null);
    }

    @Override
    public String errorCode() {
        return "DEVICE_GONE";
    }
}
