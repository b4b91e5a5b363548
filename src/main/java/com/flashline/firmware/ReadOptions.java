package com.flashline.firmware;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * How to read a file.
 *
 * @param format      forces a format instead of detecting it from the content
 * @param baseAddress load address of a raw binary (required for {@link FirmwareFormat#BIN},
 *                    ignored by every other format, which carry their own addresses)
 * @param limits      memory bounds
 */
public record ReadOptions(Optional<FirmwareFormat> format, OptionalLong baseAddress, FirmwareLimits limits) {

    public ReadOptions {
        if (format == null || baseAddress == null || limits == null) {
            throw new IllegalArgumentException("use Optional.empty()/OptionalLong.empty(), not null");
        }
        if (baseAddress.isPresent() && (baseAddress.getAsLong() < 0 || baseAddress.getAsLong() > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("base address must be a 32-bit address");
        }
    }

    public static ReadOptions defaults() {
        return new ReadOptions(Optional.empty(), OptionalLong.empty(), FirmwareLimits.DEFAULT);
    }

    public ReadOptions withFormat(FirmwareFormat forced) {
        return new ReadOptions(Optional.of(forced), baseAddress, limits);
    }

    public ReadOptions withBaseAddress(long address) {
        return new ReadOptions(format, OptionalLong.of(address), limits);
    }

    public ReadOptions withLimits(FirmwareLimits newLimits) {
        return new ReadOptions(format, baseAddress, newLimits);
    }
}
