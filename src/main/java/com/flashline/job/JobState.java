package com.flashline.job;

/** Lifecycle of a job. QUEUED and RUNNING are live; the others are final. */
public enum JobState {
    QUEUED,
    RUNNING,
    PASSED,
    FAILED,
    CANCELLED,
    /** The service stopped (crash, power loss) while the job was QUEUED or RUNNING. */
    INTERRUPTED;

    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }
}
