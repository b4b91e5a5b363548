package com.flashline.job;

import com.flashline.flashing.Phase;
import java.time.Instant;
import java.util.List;

/**
 * A job as the API shows it. While the job runs, {@code phase}, {@code bytesDone} and
 * {@code bytesTotal} are live (kept in memory, not written per block).
 *
 * @param pollPolicy how the DFU engine polled the board's ROM (see docs/protocol.md), from IDENTIFY on
 * @param phases finished phases in order, across attempts
 * @param error  why the job failed or was interrupted, else null
 * @param startedBy   the actor who queued it ({@code system} when auto-started)
 * @param cancelledBy the actor who cancelled it, else null
 * @param workOrder   the number of the work order that was active when it was queued, else null
 * @param lot         that work order's lot, else null
 */
public record JobView(long id, String stationId, String port, String usbSerial, String uid, String pollPolicy,
        long recipeId, long firmwareId, String firmwareSha256, JobState state, Phase phase, long bytesDone,
        long bytesTotal, int attempt, String serialNumber, boolean cancelRequested, Instant queuedAt,
        Instant startedAt, Instant finishedAt, Long durationMs, List<PhaseTiming> phases, Error error,
        String startedBy, String cancelledBy, String workOrder, String lot) {

    /**
     * A view never changes once made: the phases are copied, not shared with whoever built the list
     * (the JSON of a finished job is kept for as long as its view is equal, see {@link FinishedJobJson}).
     */
    public JobView {
        phases = phases == null ? null : List.copyOf(phases);
    }

    /** This view with other live byte progress (what the event stream sends between phase changes). */
    public JobView withProgress(long bytesDone, long bytesTotal) {
        return new JobView(id, stationId, port, usbSerial, uid, pollPolicy, recipeId, firmwareId, firmwareSha256,
                state, phase, bytesDone, bytesTotal, attempt, serialNumber, cancelRequested, queuedAt, startedAt,
                finishedAt, durationMs, phases, error, startedBy, cancelledBy, workOrder, lot);
    }

    public record PhaseTiming(Phase name, int attempt, long durationMs) {
    }

    /** @param firstMismatchAddress first address whose read-back differed, on a verify failure */
    public record Error(String code, String message, Long firstMismatchAddress) {
    }
}
