package com.flashline.worker;

import com.flashline.database.DatabaseFailures;
import com.flashline.database.DatabaseGate;
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
 *
 * <p>The database: a job starts only once the {@link DatabaseGate} reaches it (a job taken while it
 * is away waits, QUEUED, and starts when it is back). A job in flight that cannot write its records
 * stops at that write and ends FAILED {@code DATABASE_ERROR}, recorded as soon as the database is
 * back; one whose PASSED could not be written ends the same way, so a board is never reported PASSED
 * without its records.
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
    private final DatabaseGate database;

    public JobRunner(JobService jobs, JobRecorder recorder, FlashRequests requests, FlashPipeline pipeline,
            DeviceSources sources, PassedBoardLatch latch, WorkerMetrics metrics, int maxAttempts,
            DatabaseGate database) {
        this.jobs = jobs;
        this.recorder = recorder;
        this.requests = requests;
        this.pipeline = pipeline;
        this.sources = sources;
        this.latch = latch;
        this.metrics = metrics;
        this.maxAttempts = maxAttempts;
        this.database = database;
    }

    public void run(QueuedJob job) {
        long id = job.jobId();
        FlashRequest request = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Boolean started = whenDatabaseAvailable(id, attempt);
            if (started == null || !started) {
                return; // cancelled while it waited for a worker, or the service is stopping
            }
            if (request == null) {
                try {
                    request = requests.build(jobs.spec(job));
                } catch (RuntimeException e) {
                    if (DatabaseFailures.isUnavailable(e)) {
                        databaseFailed(id, "the database was lost while the job's image was prepared", e);
                        return;
                    }
                    recorder.failed(id, FailureCode.FIRMWARE_UNREADABLE, "cannot prepare the image: " + e.getMessage(),
                            null);
                    return;
                }
            }
            try {
                if (attemptOnce(job, attempt, request) == Next.DONE) {
                    return;
                }
            } catch (RuntimeException e) {
                // Recording another outcome (cancelled, failed) met the outage.
                if (!DatabaseFailures.isUnavailable(e)) {
                    throw e;
                }
                databaseFailed(id, "the job's outcome could not be written", e);
                return;
            }
        }
    }

    /**
     * Starts the attempt once the database is reachable; a start that fails because the database
     * went away meanwhile waits for it again. Null when the worker was interrupted.
     */
    private Boolean whenDatabaseAvailable(long id, int attempt) {
        while (true) {
            try {
                database.awaitAvailable();
                return recorder.started(id, attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isUnavailable(e)) {
                    throw e;
                }
                database.markDown(e);
            }
        }
    }

    /**
     * Records FAILED {@code DATABASE_ERROR} for a job the database's loss stopped, as soon as the
     * database is back (the worker holds the job until then). Nothing is recorded when the service
     * stops first: the next start marks the job INTERRUPTED.
     */
    private void databaseFailed(long id, String what, Throwable cause) {
        database.markDown(cause);
        String message = what + ": " + DatabaseFailures.rootMessage(cause);
        log.warn("job {}: {}; recording FAILED {} when the database is back", id, message, FailureCode.DATABASE_ERROR);
        while (true) {
            try {
                database.awaitAvailable();
                recorder.failed(id, FailureCode.DATABASE_ERROR, message, null);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IllegalStateException e) {
                // The outcome committed after all (the connection broke after the commit): it stands.
                log.warn("job {}: {}", id, e.getMessage());
                return;
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isUnavailable(e)) {
                    throw e;
                }
                database.markDown(e);
            }
        }
    }

    private enum Next { DONE, RETRY }

    private Next attemptOnce(QueuedJob job, int attempt, FlashRequest request) {
        long id = job.jobId();
        AtomicReference<String> stopReason = new AtomicReference<>();
        JobFlashListener listener = new JobFlashListener(id, job.port(), recorder, metrics, latch, stopReason,
                database);
        BooleanSupplier cancelled = () -> stopReason.get() != null || jobs.isCancelRequested(id)
                || Thread.currentThread().isInterrupted();
        try {
            FlashReport report = pipeline.run(request, sources.connector(job.port()), listener, cancelled);
            // Latched before PASSED commits, so a board re-arriving right after is never queued again.
            latch.passed(job.port(), id, report.identity().usbSerial(), report.identity().chipUid());
            try {
                recorder.passed(id, report.serial() == null ? null : report.serial().text());
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isUnavailable(e)) {
                    throw e;
                }
                databaseFailed(id, "the board was flashed but its PASSED record could not be written", e);
            }
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
            if (DatabaseFailures.isUnavailable(failure)) {
                databaseFailed(id, "the job stopped in " + failure.phase() + " when its record could not be written",
                        failure);
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
            if (DatabaseFailures.isUnavailable(e)) {
                databaseFailed(id, "the job's record could not be written", e);
                return Next.DONE;
            }
            log.error("job {} on port {} failed unexpectedly", id, job.port(), e);
            recorder.failed(id, FailureCode.INTERNAL_ERROR, e.toString(), null);
            return Next.DONE;
        }
    }
}
