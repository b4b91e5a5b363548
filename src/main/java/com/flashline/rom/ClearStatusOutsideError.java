package com.flashline.rom;

/** What a ROM does with a CLRSTATUS in a state other than dfuERROR, which DFU 1.1 does not allow. */
public enum ClearStatusOutsideError {
    /**
     * Enters dfuERROR with errUNKNOWN; the next CLRSTATUS then reaches dfuIDLE (ST's DFU device
     * code). Two CLRSTATUS get a ROM stuck in dfuDNBUSY out.
     */
    ENTERS_ERROR,
    /** Stalls it, as DFU 1.1 says (newer ROMs, STM32C5): the stall leaves the device in dfuERROR. */
    STALLS
}
