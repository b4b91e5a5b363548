package com.flashline.firmware;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A firmware image as it will be written: segments sorted by address, never overlapping,
 * adjacent runs merged (unless their DfuSe alternate settings differ).
 *
 * <p>{@code contentSha256} identifies the program independently of the file format: SHA-256 over,
 * for each segment in address order, the address as 4 bytes big-endian, the length as 4 bytes
 * big-endian, then the bytes. Entry point, alternate settings, DFU suffix and file headers are not
 * part of it, so the .hex, .srec, .elf, .bin and .dfu of one program hash the same.
 * {@code fileSha256} is the SHA-256 of the file exactly as uploaded. Both are lowercase hex.
 */
public record FirmwareImage(
        FirmwareFormat format,
        List<Segment> segments,
        OptionalLong entryPoint,
        String fileSha256,
        String contentSha256,
        Optional<DfuSuffix> dfuSuffix) {

    public FirmwareImage {
        segments = List.copyOf(segments);
        for (int i = 1; i < segments.size(); i++) {
            if (segments.get(i).address() < segments.get(i - 1).end()) {
                throw new IllegalArgumentException("segments must be sorted and must not overlap");
            }
        }
    }

    /** Number of data bytes in the image (gaps excluded). */
    public long totalSize() {
        return segments.stream().mapToLong(Segment::length).sum();
    }

    /** The lowest address written, or empty for an image without data. */
    public OptionalLong startAddress() {
        return segments.isEmpty() ? OptionalLong.empty() : OptionalLong.of(segments.get(0).address());
    }
}
