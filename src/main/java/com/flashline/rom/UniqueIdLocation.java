package com.flashline.rom;

/**
 * Where a family keeps the three 32-bit words of its 96-bit unique ID. Most families store them
 * one after the other; L0/L1 do not.
 */
public record UniqueIdLocation(long word0, long word1, long word2) {

    public static UniqueIdLocation contiguous(long base) {
        return new UniqueIdLocation(base, base + 4, base + 8);
    }

    public boolean isContiguous() {
        return word1 == word0 + 4 && word2 == word1 + 4;
    }

    /** The lowest address of the three words. */
    public long firstAddress() {
        return Math.min(word0, Math.min(word1, word2));
    }

    /** Bytes from {@link #firstAddress()} to the end of the highest word: one read covers all three. */
    public int span() {
        return (int) (Math.max(word0, Math.max(word1, word2)) + 4 - firstAddress());
    }

    /** The 12 UID bytes (word 0 first, each word as stored) picked out of a read of {@link #span()} bytes. */
    public byte[] extract(byte[] spanBytes) {
        if (spanBytes.length != span()) {
            throw new IllegalArgumentException("expected " + span() + " bytes, got " + spanBytes.length);
        }
        byte[] uid = new byte[12];
        long[] words = {word0, word1, word2};
        for (int i = 0; i < 3; i++) {
            System.arraycopy(spanBytes, (int) (words[i] - firstAddress()), uid, 4 * i, 4);
        }
        return uid;
    }

    @Override
    public String toString() {
        return isContiguous() ? String.format("0x%08X", word0)
                : String.format("0x%08X/0x%08X/0x%08X", word0, word1, word2);
    }
}
