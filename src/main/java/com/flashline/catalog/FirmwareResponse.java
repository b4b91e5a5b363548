package com.flashline.catalog;

import java.time.Instant;
import java.util.List;

/** JSON view of a stored firmware file. */
public record FirmwareResponse(long id, String name, String version, String format, String fileName,
        String sha256, String contentSha256, long sizeBytes, long imageBytes, Long baseAddress,
        Instant uploadedAt, List<FirmwareSegment> segments, String uploadedBy) {

    static FirmwareResponse of(Firmware f) {
        return new FirmwareResponse(f.id(), f.name(), f.version(), f.format(), f.fileName(), f.sha256(),
                f.contentSha256(), f.sizeBytes(), f.imageBytes(), f.baseAddress(), f.uploadedAt(), f.segments(),
                f.uploadedBy());
    }
}
