package com.flashline.job;

import com.flashline.flashing.Phase;
import java.time.Instant;

/** One job row as stored, whether read through JPA ({@link JobEntity#row()}) or by {@link JobListQuery}. */
record JobRow(long id, String stationId, String port, String usbSerial, String chipUid, String pollPolicy, long recipeId,
        long firmwareId, String firmwareSha256, JobState state, Phase phase, long bytesDone, long bytesTotal,
        int attempt, String serialNumber, boolean cancelRequested, Instant queuedAt, Instant startedAt,
        Instant finishedAt, Long durationMs, String errorCode, String errorMessage, Long mismatchAddress,
        String startedBy, String cancelledBy, String workOrder, String lot) {
}
