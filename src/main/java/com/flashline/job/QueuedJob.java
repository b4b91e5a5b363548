package com.flashline.job;

import com.flashline.audit.Actor;

/** A job whose QUEUED row has been committed, handed to the {@link JobDispatcher}. */
public record QueuedJob(long jobId, String port, long recipeId, long firmwareId, Actor startedBy) {
}
