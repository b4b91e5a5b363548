package com.flashline.sim;

/** Why a simulated board left the bus. */
public enum DisconnectReason {
    /** The cable was pulled ({@link SimulatedStm32#unplug()}). */
    UNPLUGGED,
    /** Leave DFU mode with a valid vector table: the application runs. */
    LEAVE_TO_APPLICATION,
    /** Leave DFU mode without valid code at the pointer: the chip resets into the bootloader. */
    LEAVE_RESET,
    /** DFU_DETACH: the ROM restarts its USB stack (bmAttributes has "will detach"). */
    DETACH,
    /** Read Unprotect executed: mass erase, then system reset. */
    READ_UNPROTECT,
    /** An option-byte write executed: system reset to load the new options. */
    OPTION_BYTES_WRITTEN,
    /** A fault plan pulled the device. */
    INJECTED
}
