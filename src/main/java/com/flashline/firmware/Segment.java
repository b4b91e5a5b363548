package com.flashline.firmware;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * Contiguous bytes at an address. {@code alternateSetting} is the DfuSe alternate setting the
 * bytes were packed for (only .dfu files carry one). The array is copied in and out, so a
 * segment is immutable; use {@link #buffer()} to read without copying.
 */
public record Segment(long address, byte[] data, OptionalInt alternateSetting) {

    public Segment {
        if (address < 0 || address + data.length > 0x1_0000_0000L) {
            throw new IllegalArgumentException("segment outside the 32-bit address space");
        }
        data = data.clone();
    }

    public Segment(long address, byte[] data) {
        this(address, data, OptionalInt.empty());
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** A read-only view of the bytes, positioned at 0. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    public int length() {
        return data.length;
    }

    /** First address after the segment. */
    public long end() {
        return address + data.length;
    }

    public AddressRange range() {
        return new AddressRange(address, end());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Segment s && s.address == address && s.alternateSetting.equals(alternateSetting)
                && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address) * 31 + Arrays.hashCode(data) + alternateSetting.hashCode();
    }

    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(data, 0, Math.min(8, data.length));
        return String.format("Segment[0x%08X, %d bytes%s, %s%s]", address, data.length,
                alternateSetting.isPresent() ? ", alt " + alternateSetting.getAsInt() : "", head,
                data.length > 8 ? "..." : "");
    }
}
