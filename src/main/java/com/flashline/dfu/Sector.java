package com.flashline.dfu;

/** One erasable unit (sector or page) of a memory layout. */
public record Sector(long start, int size, int attributes) {

    public long end() {
        return start + size;
    }

    public boolean contains(long address) {
        return address >= start && address < end();
    }

    public boolean readable() {
        return (attributes & MemoryRegion.READABLE) != 0;
    }

    public boolean erasable() {
        return (attributes & MemoryRegion.ERASABLE) != 0;
    }

    public boolean writeable() {
        return (attributes & MemoryRegion.WRITEABLE) != 0;
    }

    @Override
    public String toString() {
        return String.format("0x%08x+%d %s", start, size, MemoryRegion.attributeLetters(attributes));
    }
}
