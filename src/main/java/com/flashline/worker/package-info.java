/**
 * Runs queued jobs: {@link com.flashline.worker.WorkerPool} (the {@link com.flashline.job.JobDispatcher}:
 * a bounded pool, one job per port) hands each job to {@link com.flashline.worker.JobRunner}, which
 * builds the {@link com.flashline.flashing.FlashRequest} from the recipe and firmware, runs the
 * {@link com.flashline.flashing.FlashPipeline} against the port's
 * {@link com.flashline.device.DeviceSource}, retries transient failures and records the outcome
 * through {@link com.flashline.job.JobRecorder}. Exists only when a device source is configured.
 */
package com.flashline.worker;
