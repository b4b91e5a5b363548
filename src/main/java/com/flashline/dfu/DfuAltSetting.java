package com.flashline.dfu;

/** One alternate setting of the DFU interface and its name string (a DfuSe memory layout on STM32). */
public record DfuAltSetting(int interfaceNumber, int alternateSetting, String name) {

    /** The parsed DfuSe memory layout of this alt setting's name. */
    public MemoryLayout layout() {
        return MemoryLayout.parse(name);
    }
}
