package com.flashline.job;

/** Published after a job's final state has committed (PASSED, FAILED, CANCELLED, INTERRUPTED). */
public record JobFinishedEvent(JobView job) {
}
