package com.flashline.catalog;

import com.flashline.firmware.FirmwareFormat;

/**
 * What makes two uploads the same firmware. A self-locating file (Intel HEX, S-record, ELF,
 * DfuSe) carries its addresses, so its bytes (their SHA-256) are its identity; a raw binary
 * does not, so the same bytes at another base address are another image and another firmware.
 * The key is stored in {@code firmware.identity_key}, which is unique.
 */
final class FirmwareIdentity {

    private FirmwareIdentity() {
    }

    /** {@code <sha256>} for a self-locating format, {@code <sha256>@<base address, decimal>} for a raw binary. */
    static String key(String sha256, String format, Long baseAddress) {
        return FirmwareFormat.BIN.name().equals(format) ? rawKey(sha256, baseAddress) : sha256;
    }

    /** The key the same bytes would have as a raw binary at {@code baseAddress}. */
    static String rawKey(String sha256, Long baseAddress) {
        return sha256 + "@" + baseAddress;
    }
}
