package com.flashline.worker;

import com.flashline.device.DeviceSources;
import com.flashline.dfu.DfuException;
import com.flashline.error.FailureCode;
import com.flashline.flashing.FlashFailure;
import com.flashline.flashing.FlashPipeline;
import com.flashline.flashing.FlashReport;
import com.flashline.flashing.FlashRequest;
import com.flashline.job.JobRecorder;
import com.flashline.job.JobService;
import com.flashline.job.PassedBoardLatch;
import com.flashline.job.QueuedJob;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job to its final state on the calling thread: start, build the request, run the
 * pipeline, record PASSED / FAILED / CANCELLED. A failure the pipeline marks retryable is tried
 * again (attempt 2, 3, ... up to {@code flashline.jobs.max-attempts}, each recorded); DEVICE_GONE
 * and CANCELLED are final whatever the flag says. When the worker is interrupted (the service is
 * stopping) nothing is recorded: the job stays RUNNING and the next start marks it INTERRUPTED.
 */
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobService jobs;
    private final JobRecorder recorder;
    private final FlashRequests requests;
    private final FlashPipeline pipeline;
    private final DeviceSources sources;
    private final PassedBoardLatch latch;
    private final WorkerMetrics metrics;
    private final int maxAttempts;

    public JobRunner(JobService jobs, JobRecorder recorder, FlashRequests requests, FlashPipeline pipeline,
            DeviceSources sources, PassedBoardLatch latch, WorkerMetrics metrics, int maxAttempts) {
        this.jobs = jobs;
        this.recorder = recorder;
        this.requests = requests;
        this.pipeline = pipeline;
        this.sources = sources;
        this.latch = latch;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
    }

    public void run(QueuedJob job) {
        long id = job.jobId();
        FlashRequest request = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (!recorder.started(id, attempt)) {
                return; // cancelled while it waited for a worker
            }
            if (request == null) {
                try {
                    request = requests.build(jobs.spec(job));
                } catch (RuntimeException e) {
                    recorder.failed(id, FailureCode.FIRMWARE_UNREADABLE, "cannot prepare the image: " + e.getMessage(),
                            null);
                    return;
                }
            }
            if (attemptOnce(job, attempt, request) == Next.DONE) {
                return;
            }
        }
    }

    private enum Next { DONE, RETRY }

    private Next attemptOnce(QueuedJob job, int attempt, FlashRequest request) {
        long id = job.jobId();
        AtomicReference<String> stopReason = new AtomicReference<>();
        JobFlashListener listener = new JobFlashListener(id, job.port(), recorder, metrics, latch, stopReason);
        BooleanSupplier cancelled = () -> stopReason.get() != null || jobs.isCancelRequested(id)
                || Thread.currentThread().isInterrupted();
        try {
            FlashReport report = pipeline.run(request, sources.connector(job.port()), listener, cancelled);
            // Latched before PASSED commits, so a board re-arriving right after is never queued again.
            latch.passed(job.port(), id, report.identity().usbSerial(), report.identity().chipUid());
            recorder.passed(id, report.serial() == null ? null : report.serial().text());
            return Next.DONE;
        } catch (FlashFailure failure) {
            if (Thread.currentThread().isInterrupted()) {
                log.warn("job {} on port {} stopped by shutdown in {}", id, job.port(), failure.phase());
                return Next.DONE;
            }
            if (stopReason.get() != null) {
                recorder.cancelled(id, FailureCode.ALREADY_PASSED, stopReason.get());
                return Next.DONE;
            }
            if (failure.code() == FailureCode.CANCELLED || jobs.isCancelRequested(id)) {
                recorder.cancelled(id);
                return Next.DONE;
            }
            boolean again = failure.retryable() && failure.code() != FailureCode.DEVICE_GONE && attempt < maxAttempts;
            if (again) {
                log.info("job {} on port {}: attempt {} failed in {} with {} ({}); trying again", id, job.port(),
                        attempt, failure.phase(), failure.code(), failure.getMessage());
                return Next.RETRY;
            }
            recorder.failed(id, failure.code(), failure.getMessage(), failure.firstMismatchAddress());
            return Next.DONE;
        } catch (DfuException e) {
            // The pipeline wraps what it knows; anything else from the engine still gets its code.
            recorder.failed(id, e.errorCode(), e.getMessage(), null);
            return Next.DONE;
        } catch (RuntimeException e) {
            log.error("job {} on port {} failed unexpectedly", id, job.port(), e);
            recorder.failed(id, FailureCode.INTERNAL_ERROR, e.toString(), null);
            return Next.DONE;
        }
    }
}
