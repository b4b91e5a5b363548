package com.flashline.serial;

/**
 * Per-unit serial record of a recipe: the next value of the recipe's sequence, formatted by
 * {@code format} (see {@link SerialFormat}), written as {@code length} bytes at {@code address}.
 *
 * @param start first value of the sequence
 */
public record SerialSpec(long address, String format, long start, int length) {

    public SerialFormat serialFormat() {
        return SerialFormat.parse(format);
    }
}
