package com.flashline.dfu;

import java.util.ArrayList;
import java.util.List;

/** A run of equal sectors in a DfuSe memory layout. */
public record MemoryRegion(long start, int sectorCount, int sectorSize, int attributes) {

    public static final int READABLE = 1;
    public static final int ERASABLE = 2;
    public static final int WRITEABLE = 4;

    public long end() {
        return start + (long) sectorCount * sectorSize;
    }

    public long size() {
        return end() - start;
    }

    public boolean contains(long address) {
        return address >= start && address < end();
    }

    public boolean overlaps(MemoryRegion other) {
        return start < other.end() && other.start < end();
    }

    public boolean readable() {
        return (attributes & READABLE) != 0;
    }

    public boolean erasable() {
        return (attributes & ERASABLE) != 0;
    }

    public boolean writeable() {
        return (attributes & WRITEABLE) != 0;
    }

    public Sector sectorAt(long address) {
        if (!contains(address)) {
            throw new IllegalArgumentException("0x" + Long.toHexString(address) + " is outside " + this);
        }
        long index = (address - start) / sectorSize;
        return new Sector(start + index * sectorSize, sectorSize, attributes);
    }

    public List<Sector> sectors() {
        List<Sector> list = new ArrayList<>(sectorCount);
        for (int i = 0; i < sectorCount; i++) {
            list.add(new Sector(start + (long) i * sectorSize, sectorSize, attributes));
        }
        return list;
    }

    @Override
    public String toString() {
        return String.format("0x%08x %d*%d%s", start, sectorCount, sectorSize, attributeLetters(attributes));
    }

    static String attributeLetters(int attributes) {
        return ((attributes & READABLE) != 0 ? "r" : "-") + ((attributes & ERASABLE) != 0 ? "e" : "-")
                + ((attributes & WRITEABLE) != 0 ? "w" : "-");
    }
}
