package com.flashline.job;

/**
 * Where committed jobs go to be run: implemented by the worker pool. {@link JobService} calls it
 * after the transaction that queued (or cancelled) the job has committed. Without an
 * implementation in the context jobs stay QUEUED (and become INTERRUPTED at the next start-up).
 */
public interface JobDispatcher {

    /** Run this job when a worker is free. Must not block for long. */
    void dispatch(QueuedJob job);

    /**
     * The job was cancelled: drop it if still waiting, or stop the running pipeline, which then
     * calls {@link JobRecorder#cancelled}. A QUEUED job is already CANCELLED in the database.
     */
    void cancel(long jobId);
}
