package com.flashline.job;

/** A job whose QUEUED row has been committed, handed to the {@link JobDispatcher}. */
public record QueuedJob(long jobId, String port, long recipeId, long firmwareId) {
}
