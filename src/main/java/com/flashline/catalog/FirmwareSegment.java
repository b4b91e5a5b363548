package com.flashline.catalog;

/** One contiguous address range a firmware image writes. */
public record FirmwareSegment(long address, long length) {

    public long end() {
        return address + length;
    }

    public boolean overlaps(long start, long size) {
        return start < end() && address < start + size;
    }
}
