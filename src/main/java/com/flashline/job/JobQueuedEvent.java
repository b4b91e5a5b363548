package com.flashline.job;

/** Published inside the transaction that queued the job; listeners should use AFTER_COMMIT. */
public record JobQueuedEvent(QueuedJob job) {
}
