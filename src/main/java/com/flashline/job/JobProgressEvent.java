package com.flashline.job;

/**
 * A running job entered a phase ({@code phaseChanged}), or its byte progress moved to
 * {@code bytesDone} of {@code bytesTotal}. Published from the worker's thread, for byte progress
 * at most every 50 ms per job and when a phase's bytes are all done ({@link JobRecorder#progress}),
 * so listeners must only take note and return.
 */
public record JobProgressEvent(long jobId, boolean phaseChanged, long bytesDone, long bytesTotal) {

    static JobProgressEvent phase(long jobId) {
        return new JobProgressEvent(jobId, true, 0, 0);
    }

    static JobProgressEvent bytes(long jobId, long bytesDone, long bytesTotal) {
        return new JobProgressEvent(jobId, false, bytesDone, bytesTotal);
    }
}
