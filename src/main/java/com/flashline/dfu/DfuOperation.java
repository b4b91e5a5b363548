package com.flashline.dfu;

/**
 * A DNLOAD-triggered operation whose completion the host awaits with GETSTATUS polling. The kind
 * decides the overall timeout and whether the ROM may hold a GETSTATUS answer for a long time.
 */
public enum DfuOperation {
    SET_ADDRESS_POINTER("set address pointer", false),
    ERASE_SECTOR("erase sector", true),
    MASS_ERASE("mass erase", true),
    READ_UNPROTECT("read unprotect", true),
    WRITE_MEMORY("write memory", false),
    WRITE_OPTION_BYTES("write option bytes", true),
    LEAVE("leave DFU mode", false);

    private final String description;
    private final boolean longRunning;

    DfuOperation(String description, boolean longRunning) {
        this.description = description;
        this.longRunning = longRunning;
    }

    public String description() {
        return description;
    }

    /** True when a ROM may hold the GETSTATUS answer until the flash operation finishes. */
    public boolean longRunning() {
        return longRunning;
    }
}
