package com.flashline.job;

/** Published inside the transaction that cancelled a queued job or flagged a running one. */
public record JobCancelRequestedEvent(long jobId, String port, JobState stateBefore) {
}
