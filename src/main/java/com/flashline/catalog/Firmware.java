package com.flashline.catalog;

import java.time.Instant;
import java.util.List;

/**
 * A stored firmware file's metadata. The same file content (by {@code sha256} of the file) is
 * stored once, so uploading it again yields the same {@code id}.
 *
 * @param sizeBytes   size of the uploaded file
 * @param imageBytes  bytes the image writes to the device (sum of segment lengths)
 * @param baseAddress load address given for a raw binary, else null
 * @param uploadedBy  the actor who first uploaded these bytes
 */
public record Firmware(long id, String name, String version, String format, String fileName, String sha256,
        String contentSha256, long sizeBytes, long imageBytes, Long baseAddress, Instant uploadedAt,
        List<FirmwareSegment> segments, String uploadedBy) {

    public Firmware {
        segments = List.copyOf(segments);
    }
}
