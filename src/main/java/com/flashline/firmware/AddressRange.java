package com.flashline.firmware;

/** A half-open address range [start, end). */
public record AddressRange(long start, long end) {

    public AddressRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range " + start + ".." + end);
        }
    }

    public long length() {
        return end - start;
    }

    @Override
    public String toString() {
        return String.format("0x%08X..0x%08X (%d bytes)", start, end - 1, end - start);
    }
}
