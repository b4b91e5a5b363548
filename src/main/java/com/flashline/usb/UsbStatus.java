package com.flashline.usb;

/**
 * Whether the USB layer is usable. {@link State#DOWN} carries the reason (native library missing,
 * {@code libusb_init} failed, watcher closed) so a health endpoint can show it instead of the
 * service failing to start on a machine without USB.
 */
public record UsbStatus(State state, String reason) {

    public enum State { UP, DOWN }

    public UsbStatus {
        if (state == null) {
            throw new IllegalArgumentException("state is required");
        }
        reason = reason == null ? "" : reason;
    }

    public static UsbStatus up(String detail) {
        return new UsbStatus(State.UP, detail);
    }

    public static UsbStatus down(String reason) {
        return new UsbStatus(State.DOWN, reason);
    }

    public boolean isUp() {
        return state == State.UP;
    }
}
