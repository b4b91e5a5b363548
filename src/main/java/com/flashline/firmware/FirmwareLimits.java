package com.flashline.firmware;

/**
 * Bounds that keep memory use proportional to what an honest file needs, whatever a hostile
 * one declares. Addresses never cost memory (only bytes actually present do), so a record at
 * 0xFFFFFFF0 is as cheap as one at 0.
 *
 * @param maxFileBytes  largest accepted input file
 * @param maxImageBytes largest total of data bytes across all records/segments
 * @param maxSegments   largest number of discontiguous runs of data while reading (records that
 *                      continue a previous run do not count)
 */
public record FirmwareLimits(long maxFileBytes, long maxImageBytes, int maxSegments) {

    public static final FirmwareLimits DEFAULT = new FirmwareLimits(64L << 20, 16L << 20, 65_536);

    public FirmwareLimits {
        if (maxFileBytes <= 0 || maxFileBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxFileBytes must be in 1.." + (Integer.MAX_VALUE - 8));
        }
        if (maxImageBytes <= 0 || maxImageBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxImageBytes must be in 1.." + (Integer.MAX_VALUE - 8));
        }
        if (maxSegments <= 0) {
            throw new IllegalArgumentException("maxSegments must be positive");
        }
    }
}
