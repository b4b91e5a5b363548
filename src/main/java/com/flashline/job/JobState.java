package com.flashline.job;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Lifecycle of a job. QUEUED and RUNNING are live; the others are final. */
public enum JobState {
    QUEUED,
    RUNNING,
    PASSED,
    FAILED,
    CANCELLED,
    /** The service stopped (crash, power loss) while the job was QUEUED or RUNNING. */
    INTERRUPTED;

    /**
     * The states of a job that is not over: waiting for a worker or on one. The one definition of
     * a live job; the SQL condition of {@link LiveJobStatements} is written from it.
     */
    public static final Set<JobState> LIVE = Collections.unmodifiableSet(EnumSet.of(QUEUED, RUNNING));

    /** Whether the job is over: it never changes again. */
    public boolean terminal() {
        return !LIVE.contains(this);
    }
}
