package com.flashline.firmware;

/** The file formats {@link FirmwareReader} understands. */
public enum FirmwareFormat {
    INTEL_HEX("Intel HEX"),
    SREC("Motorola S-record"),
    ELF("ELF32 ARM"),
    BIN("raw binary"),
    DFUSE("DfuSe .dfu");

    private final String displayName;

    FirmwareFormat(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
