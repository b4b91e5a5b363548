package com.flashline.sim;

/**
 * Where the bootloader handed over after Leave DFU mode: the vector table it used, the initial
 * stack pointer it loaded and the reset handler it jumped to (AN3156 5.5).
 */
public record Jump(long vectorTable, long stackPointer, long resetHandler, long clockNanos) {

    @Override
    public String toString() {
        return String.format("Jump[table=0x%08x sp=0x%08x pc=0x%08x]", vectorTable, stackPointer, resetHandler);
    }
}
