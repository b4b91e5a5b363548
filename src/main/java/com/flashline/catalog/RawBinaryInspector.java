package com.flashline.catalog;

import java.util.List;
import java.util.Locale;

/**
 * Stand-in until the firmware parser library is wired: accepts raw binaries only, loaded at the
 * given base address (default 0x08000000, the STM32 flash start).
 */
class RawBinaryInspector implements FirmwareInspector {

    static final long DEFAULT_BASE_ADDRESS = 0x0800_0000L;

    @Override
    public InspectedFirmware inspect(byte[] content, String fileName, Long baseAddress) {
        if (content.length == 0) {
            throw new FirmwareRejectedException("EMPTY", "the file is empty", null);
        }
        String lower = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (!lower.isEmpty() && !lower.endsWith(".bin")) {
            throw new FirmwareRejectedException("UNSUPPORTED_FORMAT",
                    "only raw .bin files are supported by this build", null);
        }
        long base = baseAddress != null ? baseAddress : DEFAULT_BASE_ADDRESS;
        return new InspectedFirmware("BIN", Sha256.hex(content), List.of(new FirmwareSegment(base, content.length)));
    }
}
