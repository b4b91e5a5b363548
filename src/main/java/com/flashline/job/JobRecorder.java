package com.flashline.job;

import com.flashline.flashing.Phase;
import com.flashline.audit.Actor;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.catalog.Firmware;
import com.flashline.catalog.FirmwareCatalog;
import com.flashline.station.PortRegistry;
import com.flashline.station.PortState;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the flashing pipeline reports while it runs a job. Start, phase changes, phase timings and
 * identification are written as they happen, so that a crash leaves the phase the board was in;
 * byte progress stays in memory; the final state is written together with its audit record in one
 * transaction that locks the job row. The writes before it are single conditional statements
 * ({@link LiveJobStatements}) that only touch a job still QUEUED or RUNNING, so a cancel and a
 * start or completion cannot both win.
 */
@Service
public class JobRecorder {

    private final JobRepository jobs;
    private final JobPhaseRepository phases;
    private final LiveJobStatements statements;
    private final JobViews views;
    private final LiveJobs live;
    private final FirmwareCatalog firmware;
    private final PortRegistry registry;
    private final AuditLog auditLog;
    private final JobMetrics metrics;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<Long, Running> running = new ConcurrentHashMap<>();

    /** What a started job's later writes need, so that they need not read the job first. */
    private record Running(String port, int attempt, AtomicInteger lastSeq) {
    }

    JobRecorder(JobRepository jobs, JobPhaseRepository phases, LiveJobStatements statements, JobViews views,
            LiveJobs live, FirmwareCatalog firmware, PortRegistry registry, AuditLog auditLog, JobMetrics metrics,
            ApplicationEventPublisher events, PlatformTransactionManager transactionManager, Clock clock) {
        this.jobs = jobs;
        this.phases = phases;
        this.statements = statements;
        this.views = views;
        this.live = live;
        this.firmware = firmware;
        this.registry = registry;
        this.auditLog = auditLog;
        this.metrics = metrics;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * A worker starts (or retries, {@code attempt} 2, 3, ...) the job.
     *
     * @return false when the job has already reached a final state (cancelled while queued); the
     *         worker must then drop it without touching the device. A cancel requested while the
     *         job runs is seen through {@link JobService#isCancelRequested}.
     */
    public boolean started(long jobId, int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1");
        }
        LiveJobStatements.StartRow row = statements.startRow(jobId).orElseThrow(() ->
                new IllegalArgumentException("job " + jobId + " does not exist"));
        // The update only takes a job that is still QUEUED or RUNNING: one cancelled meanwhile stays so.
        if (row.state().terminal() || statements.start(jobId, attempt, clock.instant()) == 0) {
            running.remove(jobId);
            return false;
        }
        Running known = running.get(jobId);
        // A job that never started has no phase rows yet; one restarted elsewhere may have some.
        AtomicInteger lastSeq = known != null ? known.lastSeq()
                : new AtomicInteger(row.startedAt() == null ? 0 : phases.lastSeq(jobId));
        running.put(jobId, new Running(row.port(), attempt, lastSeq));
        registry.jobStarted(row.port(), jobId);
        return true;
    }

    /** Persists the job's current phase. */
    public void phaseStarted(long jobId, Phase phase) {
        live.phase(jobId, phase);
        if (statements.enterPhase(jobId, phase) == 0) {
            requireExists(jobId);
        }
    }

    /** Persists one phase timing (per attempt). */
    public void phaseFinished(long jobId, Phase phase, Duration duration) {
        Running started = running.get(jobId);
        if (started != null) {
            int seq = started.lastSeq().incrementAndGet();
            if (statements.appendPhase(jobId, seq, started.attempt(), phase, duration.toMillis()) == 0) {
                requireExists(jobId);
            }
            return;
        }
        // Not started through this recorder (e.g. a test driving phases directly): read first.
        transactions.executeWithoutResult(status -> {
            JobEntity job = lockLive(jobId);
            if (job != null) {
                phases.save(new JobPhaseEntity(jobId, phases.lastSeq(jobId) + 1, Math.max(job.attempt(), 1), phase,
                        duration.toMillis()));
            }
        });
    }

    /** Byte progress of the current phase: memory only, read by GET /jobs/{id}. */
    public void progress(long jobId, long bytesDone, long bytesTotal) {
        live.bytes(jobId, bytesDone, bytesTotal);
    }

    /** The device's USB serial string and 96-bit unique ID (hex) as read in IDENTIFY. */
    public void identified(long jobId, String usbSerial, String chipUid) {
        Running started = running.get(jobId);
        if (started != null) {
            if (statements.identify(jobId, usbSerial, chipUid) > 0) {
                registry.chipIdentified(started.port(), chipUid);
            } else {
                requireExists(jobId);
            }
            return;
        }
        String port = updateLive(jobId, job -> job.identify(usbSerial, chipUid));
        if (port != null) {
            registry.chipIdentified(port, chipUid);
        }
    }

    /** Every byte was written and read back; {@code serialNumber} is null for recipes without one. */
    public JobView passed(long jobId, String serialNumber) {
        return finish(jobId, JobState.PASSED, AuditType.JOB_PASSED, PortState.PASSED, null, job -> job.pass(serialNumber),
                JobRecorder::startedBy);
    }

    /**
     * The job failed for good (after its last attempt).
     *
     * @param code                 stable error code, e.g. VERIFY_MISMATCH, DEVICE_GONE, DFU_STATUS_errWRITE
     * @param firstMismatchAddress the first differing address on a verify failure, else null
     */
    public JobView failed(long jobId, String code, String message, Long firstMismatchAddress) {
        return finish(jobId, JobState.FAILED, AuditType.JOB_FAILED, PortState.FAILED, code,
                job -> job.error(code, message, firstMismatchAddress), JobRecorder::startedBy);
    }

    /** The pipeline stopped because of a cancel request. */
    public JobView cancelled(long jobId) {
        return finish(jobId, JobState.CANCELLED, AuditType.JOB_CANCELLED, PortState.DONE_WAITING_REMOVAL, "cancelled",
                job -> job.error("CANCELLED", "cancelled while " + (job.phase() != null ? job.phase() : "starting"), null),
                job -> job.cancelledBy() != null ? new Actor(job.cancelledBy()) : startedBy(job));
    }

    /**
     * The worker stopped the job on its own before it changed the board, e.g. {@code ALREADY_PASSED}
     * when the chip is one that just passed on this port (see {@link PassedBoardLatch}).
     */
    public JobView cancelled(long jobId, String code, String reason) {
        return finish(jobId, JobState.CANCELLED, AuditType.JOB_CANCELLED, PortState.DONE_WAITING_REMOVAL, reason,
                job -> job.error(code, reason, null), job -> Actor.SYSTEM);
    }

    /** The actor of a job's passed or failed record: who started the job. */
    private static Actor startedBy(JobEntity job) {
        return new Actor(job.startedBy());
    }

    private JobView finish(long jobId, JobState outcome, AuditType type, PortState portState, String reason,
            Consumer<JobEntity> change, Function<JobEntity, Actor> actor) {
        running.remove(jobId);
        LiveJobs.Progress progress = live.progress(jobId).orElse(new LiveJobs.Progress(null, 0, 0));
        JobView view = transactions.execute(status -> {
            JobEntity job = jobs.findByIdForUpdate(jobId).orElseThrow(() ->
                    new IllegalArgumentException("job " + jobId + " does not exist"));
            if (job.state() != JobState.RUNNING && !(outcome == JobState.CANCELLED && job.state() == JobState.QUEUED)) {
                throw new IllegalStateException("job " + jobId + " is " + job.state() + ", not RUNNING; cannot record "
                        + outcome);
            }
            change.accept(job);
            job.finish(outcome, clock.instant(), progress.bytesDone(), progress.bytesTotal());
            jobs.flush();
            // Appended last: the audit head stays locked only from here to the commit.
            auditLog.append(JobAudit.entry(type, job, firmware.find(job.firmwareId()).map(Firmware::version).orElse(null),
                    actor.apply(job)));
            return views.of(job);
        });
        live.forget(jobId);
        registry.jobFinished(view.port(), jobId, portState,
                reason != null ? reason : view.error() != null ? view.error().code() : null);
        metrics.finished(view);
        events.publishEvent(new JobFinishedEvent(view));
        return view;
    }

    private void requireExists(long jobId) {
        if (!jobs.existsById(jobId)) {
            throw new IllegalArgumentException("job " + jobId + " does not exist");
        }
    }

    /** The job row locked, or null when the job is no longer QUEUED or RUNNING. */
    private JobEntity lockLive(long jobId) {
        JobEntity job = jobs.findByIdForUpdate(jobId).orElseThrow(() ->
                new IllegalArgumentException("job " + jobId + " does not exist"));
        return job.state().terminal() ? null : job;
    }

    private String updateLive(long jobId, Consumer<JobEntity> change) {
        return transactions.execute(status -> {
            JobEntity job = lockLive(jobId);
            if (job == null) {
                return null;
            }
            change.accept(job);
            return job.port();
        });
    }
}
