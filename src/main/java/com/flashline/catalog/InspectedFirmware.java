package com.flashline.catalog;

import java.util.List;

/**
 * What {@link FirmwareInspector} found in a file.
 *
 * @param format        a {@link com.flashline.firmware.FirmwareFormat} name: {@code INTEL_HEX}, {@code SREC}, {@code ELF},
 *                      {@code BIN}, {@code DFUSE}
 * @param contentSha256 SHA-256 of the normalised image (the bytes that end up in flash), hex
 * @param segments      address ranges the image writes, ascending, non-overlapping
 */
public record InspectedFirmware(String format, String contentSha256, List<FirmwareSegment> segments) {

    public InspectedFirmware {
        segments = List.copyOf(segments);
    }

    public long imageBytes() {
        return segments.stream().mapToLong(FirmwareSegment::length).sum();
    }
}
