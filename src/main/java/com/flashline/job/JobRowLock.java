package com.flashline.job;

import java.util.Optional;

/** Reads one job holding its row's lock. */
interface JobRowLock {

    /**
     * {@code SELECT ... FOR UPDATE} by primary key, in the caller's transaction: state transitions of
     * one job are serialised on its row.
     */
    Optional<JobEntity> findByIdForUpdate(long id);
}
