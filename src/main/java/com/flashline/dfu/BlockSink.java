package com.flashline.dfu;

/**
 * Receives a memory read block by block as the blocks arrive, so a caller can compare or check
 * the bytes without a destination array as large as the read (and stop early).
 */
@FunctionalInterface
public interface BlockSink {

    /**
     * One block of the read.
     *
     * @param address the memory address of {@code data[0]}
     * @param data    the block's bytes; valid only during the call
     * @return whether to go on reading; {@code false} stops after this block (the device stays in
     *         dfuUPLOAD-IDLE, which the next request recovers from as usual)
     */
    boolean accept(long address, byte[] data);
}
