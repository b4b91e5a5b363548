package com.flashline.flashing;

/** How the device is erased before writing. */
public enum EraseMode {
    /** Only the sectors the image (and the serial record) touch. */
    SECTORS,
    /** The whole flash (DfuSe mass erase). */
    MASS
}
