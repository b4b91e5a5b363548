package com.flashline.flashing;

/** A whole option-byte block, written from its base address (AN3156 §5.1); the device resets afterwards. */
public record OptionBytesBlock(long address, byte[] bytes) {

    public OptionBytesBlock {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
