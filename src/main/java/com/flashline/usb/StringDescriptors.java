package com.flashline.usb;

import java.nio.charset.StandardCharsets;

/** Decoding of raw USB string descriptors (bLength, bDescriptorType 3, UTF-16LE code units). */
final class StringDescriptors {

    static final int TYPE = 0x03;
    static final int MAX_LENGTH = 255;

    private StringDescriptors() {
    }

    /**
     * Decodes what arrived. Some STM32 ROMs send an odd length or claim a bLength larger than the
     * transfer carried; the characters that did arrive are still the right ones, so the string is
     * cut at whichever ends first and a trailing half code unit is dropped.
     *
     * @return the text, or {@code null} when the bytes are not a string descriptor at all
     */
    static String decode(byte[] raw, int received) {
        if (received < 2 || (raw[1] & 0xFF) != TYPE) {
            return null;
        }
        int usable = Math.min(received, raw[0] & 0xFF);
        int units = Math.max(0, (usable - 2) / 2);
        return new String(raw, 2, units * 2, StandardCharsets.UTF_16LE);
    }

    /** The first language ID of a string descriptor zero, or US English when the list is empty. */
    static int firstLanguage(byte[] raw, int received) {
        int usable = Math.min(received, raw.length > 0 ? raw[0] & 0xFF : 0);
        if (usable < 4 || (raw[1] & 0xFF) != TYPE) {
            return 0x0409;
        }
        return (raw[2] & 0xFF) | (raw[3] & 0xFF) << 8;
    }
}
