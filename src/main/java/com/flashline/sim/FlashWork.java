package com.flashline.sim;

/**
 * What a simulated ROM has done to its flash since the board was built, across every enumeration:
 * how a test tells a board flashed once from one flashed twice.
 *
 * @param erases           Erase commands executed (a sector or page, or a mass erase)
 * @param bytesProgrammed  flash bytes received by Write Memory commands
 */
public record FlashWork(int erases, long bytesProgrammed) {
}
