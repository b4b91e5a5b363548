package com.flashline.job;

import com.flashline.flashing.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

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

    /**
     * Every component compared, as a record's own {@code equals} does, but written out: that one is
     * built from method handles, which the station's C1-only JIT ({@code config/jvm.options}) does
     * not inline, and comparing the kept views of fifty finished jobs took a seventh of the CPU of a
     * {@code GET /jobs} ({@link FinishedJobJson}). {@code RecordEqualityTest} fails when a component
     * is left out.
     */
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof JobView that
                && id == that.id && recipeId == that.recipeId && firmwareId == that.firmwareId
                && bytesDone == that.bytesDone && bytesTotal == that.bytesTotal && attempt == that.attempt
                && cancelRequested == that.cancelRequested && state == that.state && phase == that.phase
                && Objects.equals(finishedAt, that.finishedAt) && Objects.equals(durationMs, that.durationMs)
                && Objects.equals(startedAt, that.startedAt) && Objects.equals(queuedAt, that.queuedAt)
                && Objects.equals(stationId, that.stationId) && Objects.equals(port, that.port)
                && Objects.equals(usbSerial, that.usbSerial) && Objects.equals(uid, that.uid)
                && Objects.equals(pollPolicy, that.pollPolicy) && Objects.equals(firmwareSha256, that.firmwareSha256)
                && Objects.equals(serialNumber, that.serialNumber) && Objects.equals(error, that.error)
                && Objects.equals(startedBy, that.startedBy) && Objects.equals(cancelledBy, that.cancelledBy)
                && Objects.equals(workOrder, that.workOrder) && Objects.equals(lot, that.lot)
                && Objects.equals(phases, that.phases);
    }

    /** The id alone: views that are equal have the same id, and a job's views differ in little else. */
    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    public record PhaseTiming(Phase name, int attempt, long durationMs) {

        /** Written out for the same reason as {@link JobView#equals}. */
        @Override
        public boolean equals(Object other) {
            return this == other || other instanceof PhaseTiming that
                    && name == that.name && attempt == that.attempt && durationMs == that.durationMs;
        }

        @Override
        public int hashCode() {
            return (Objects.hashCode(name) * 31 + attempt) * 31 + Long.hashCode(durationMs);
        }
    }

    /** @param firstMismatchAddress first address whose read-back differed, on a verify failure */
    public record Error(String code, String message, Long firstMismatchAddress) {

        /** Written out for the same reason as {@link JobView#equals}. */
        @Override
        public boolean equals(Object other) {
            return this == other || other instanceof Error that
                    && Objects.equals(code, that.code) && Objects.equals(message, that.message)
                    && Objects.equals(firstMismatchAddress, that.firstMismatchAddress);
        }

        @Override
        public int hashCode() {
            return Objects.hash(code, message, firstMismatchAddress);
        }
    }
}
