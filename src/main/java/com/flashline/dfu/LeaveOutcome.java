package com.flashline.dfu;

/** How the device acknowledged "leave DFU mode" (AN3156 section 5.5); both mean success. */
public enum LeaveOutcome {
    /** GETSTATUS reported dfuMANIFEST: the device is about to disconnect and jump. */
    MANIFESTING,
    /** The device disconnected after the zero-length DNLOAD before or while answering GETSTATUS. */
    DISCONNECTED
}
