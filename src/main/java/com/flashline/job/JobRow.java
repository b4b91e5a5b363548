package com.flashline.job;

import com.flashline.flashing.Phase;
import java.time.Instant;

/** One job row as stored, whether read through JPA ({@link JobEntity#row()}) or by {@link JobListQuery}. */
record JobRow(long id, String stationId, String port, String usbSerial, String chipUid, String pollPolicy, long recipeId,
        long firmwareId, String firmwareSha256, JobState state, Phase phase, long bytesDone, long bytesTotal,
        int attempt, String serialNumber, boolean cancelRequested, Instant queuedAt, Instant startedAt,
        Instant finishedAt, Long durationMs, String errorCode, String errorMessage, Long mismatchAddress,
        String startedBy, String cancelledBy, String workOrder, String lot) {

    /** A job just queued: QUEUED, in no phase, nothing done, no attempt yet. */
    static JobRow queued(long id, String stationId, String port, String usbSerial, long recipeId, long firmwareId,
            String firmwareSha256, Instant queuedAt, String startedBy, String workOrder, String lot) {
        return new JobRow(id, stationId, port, usbSerial, null, null, recipeId, firmwareId, firmwareSha256,
                JobState.QUEUED, null, 0, 0, 0, null, false, queuedAt, null, null, null, null, null, null, startedBy,
                null, workOrder, lot);
    }
}
