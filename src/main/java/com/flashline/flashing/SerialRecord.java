package com.flashline.flashing;

/** The per-unit serial record: its text (as recorded) and the bytes written at {@code address}. */
public record SerialRecord(long address, byte[] bytes, String text) {

    public SerialRecord {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
