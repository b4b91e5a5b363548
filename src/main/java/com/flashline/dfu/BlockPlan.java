package com.flashline.dfu;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a read or write into DfuSe blocks so that every device computes the same address.
 *
 * <p>AN3156 gives {@code address = (wBlockNum - 2) * wTransferSize + pointer}, where ROMs take
 * "wTransferSize" either as the length of the current request (the application note's wording) or
 * as the functional descriptor's value (ST's middleware). The two readings only differ for a block
 * shorter than wTransferSize with wBlockNum above 2, so full blocks run consecutively from block 2
 * after one Set Address Pointer, and a short block always gets its own pointer and block number 2.
 * A run restarts at a new pointer before wBlockNum would pass 0xFFFF. No block is shorter than two
 * bytes (the ROM minimum): a single trailing byte turns the last full block into a short block of
 * wTransferSize - 1 bytes followed by a two-byte block.
 */
record BlockPlan(List<Block> blocks) {

    static final int FIRST_BLOCK_NUMBER = 2;
    static final int MAX_BLOCK_NUMBER = 0xFFFF;
    static final int MIN_BLOCK_LENGTH = 2;

    /**
     * One DNLOAD or UPLOAD of the plan.
     *
     * @param address     the memory address of the block's first byte
     * @param offset      the block's offset in the caller's range
     * @param setsPointer true when a Set Address Pointer to {@code address} must precede the block
     */
    record Block(long address, int offset, int length, int blockNumber, boolean setsPointer) {
    }

    BlockPlan {
        blocks = List.copyOf(blocks);
    }

    static BlockPlan of(long address, int length, int transferSize) {
        if (transferSize < MIN_BLOCK_LENGTH) {
            throw new IllegalArgumentException("wTransferSize " + transferSize + " is below the 2-byte minimum block");
        }
        if (length == 1) {
            throw new IllegalArgumentException("a single byte cannot be transferred: the minimum block is 2 bytes");
        }
        int fullBlocks = length / transferSize;
        int remainder = length % transferSize;
        List<Integer> tail = new ArrayList<>(2);
        if (remainder == 1) {
            if (transferSize < MIN_BLOCK_LENGTH + 1) {
                throw new IllegalArgumentException("length " + length + " leaves a single byte and wTransferSize "
                        + transferSize + " is too small to rebalance it");
            }
            fullBlocks--;
            tail.add(transferSize - 1);
            tail.add(MIN_BLOCK_LENGTH);
        } else if (remainder > 0) {
            tail.add(remainder);
        }
        List<Block> blocks = new ArrayList<>(fullBlocks + tail.size());
        int offset = 0;
        int blockNumber = 0;
        for (int i = 0; i < fullBlocks; i++) {
            boolean newRun = blockNumber == 0 || blockNumber == MAX_BLOCK_NUMBER;
            blockNumber = newRun ? FIRST_BLOCK_NUMBER : blockNumber + 1;
            blocks.add(new Block(address + offset, offset, transferSize, blockNumber, newRun));
            offset += transferSize;
        }
        for (int shortLength : tail) {
            blocks.add(new Block(address + offset, offset, shortLength, FIRST_BLOCK_NUMBER, true));
            offset += shortLength;
        }
        return new BlockPlan(blocks);
    }
}
