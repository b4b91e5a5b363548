package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.catalog.Firmware;
import com.flashline.catalog.FirmwareCatalog;
import com.flashline.error.FailureCode;
import com.flashline.station.PortRegistry;
import com.flashline.station.PortState;
import com.flashline.workorder.WorkOrderCompletion;
import com.flashline.workorder.WorkOrderService;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one writer of a job's state. {@link JobService} (operator cancel), {@link JobRecorder}
 * (what the worker reports) and {@link JobRecovery} (start-up) call it; nothing else changes
 * {@code job.state}.
 * <pre>
 *   QUEUED ──start──► RUNNING ──start (next attempt)──► RUNNING
 *   RUNNING ──end──► PASSED | FAILED | CANCELLED
 *   QUEUED ──end──► CANCELLED (before it started)
 *   QUEUED | RUNNING ──end (start-up after a crash)──► INTERRUPTED
 * </pre>
 * A start is one conditional statement that only takes a live job ({@link JobState#LIVE}). A final
 * state is written with its outcome fields and its audit record in one transaction that holds the
 * job row's lock, so that a cancel and a start or completion cannot both win; after the commit the
 * port, the metrics and the listeners of {@link JobFinishedEvent} hear of it.
 */
@Component
class JobTransitions {

    /**
     * How a job ends: its final state and what is recorded with it, and whose action the ending is
     * recorded as.
     */
    record Ending(JobState state, FailureCode code, String message, Long mismatchAddress, String serialNumber,
            String portReason, Attribution attribution) {

        static Ending passed(String serialNumber) {
            return new Ending(JobState.PASSED, null, null, null, serialNumber, null, Attribution.STARTER);
        }

        static Ending failed(FailureCode code, String message, Long mismatchAddress) {
            return new Ending(JobState.FAILED, code, message, mismatchAddress, null, code.name(), Attribution.STARTER);
        }

        /** Cancelled on an operator's request. */
        static Ending cancelled(String message) {
            return new Ending(JobState.CANCELLED, FailureCode.CANCELLED, message, null, null, "cancelled",
                    Attribution.CANCELLER);
        }

        /** Stopped by the worker before it changed the board, e.g. ALREADY_PASSED; the port shows why. */
        static Ending stopped(FailureCode code, String reason) {
            return new Ending(JobState.CANCELLED, code, reason, null, null, reason, Attribution.SYSTEM);
        }

        /** Found live at start-up: the service stopped under it. */
        static Ending interrupted(String message) {
            return new Ending(JobState.INTERRUPTED, FailureCode.INTERRUPTED, message, null, null, null,
                    Attribution.SYSTEM);
        }
    }

    /** The actor of an ending's audit record. */
    enum Attribution {
        /** Who started the job: a job's result is the outcome of their action. */
        STARTER,
        /** Who asked for the cancel (who started the job, if nobody is recorded). */
        CANCELLER,
        /** The station itself: the worker's own stop, recovery after a crash. */
        SYSTEM;

        Actor of(JobEntity job) {
            return switch (this) {
                case STARTER -> new Actor(job.startedBy());
                case CANCELLER -> new Actor(job.cancelledBy() != null ? job.cancelledBy() : job.startedBy());
                case SYSTEM -> Actor.SYSTEM;
            };
        }
    }

    private final JobRepository jobs;
    private final LiveJobStatements statements;
    private final LiveJobs live;
    private final JobViews views;
    private final FirmwareCatalog firmware;
    private final AuditLog auditLog;
    private final PortRegistry registry;
    private final JobMetrics metrics;
    private final ApplicationEventPublisher events;
    private final WorkOrderService workOrders;
    private final TransactionTemplate transactions;
    private final Clock clock;

    JobTransitions(JobRepository jobs, LiveJobStatements statements, LiveJobs live, JobViews views,
            FirmwareCatalog firmware, AuditLog auditLog, PortRegistry registry, JobMetrics metrics,
            ApplicationEventPublisher events, WorkOrderService workOrders, PlatformTransactionManager transactionManager,
            Clock clock) {
        this.workOrders = workOrders;
        this.jobs = jobs;
        this.statements = statements;
        this.live = live;
        this.views = views;
        this.firmware = firmware;
        this.auditLog = auditLog;
        this.registry = registry;
        this.metrics = metrics;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * QUEUED or RUNNING becomes RUNNING in {@code attempt}, with the poll policy the previous attempt
     * still owed when not null; false when the job had already ended.
     */
    boolean start(long jobId, int attempt, String owedPollPolicy) {
        return statements.start(jobId, attempt, clock.instant(), owedPollPolicy) > 0;
    }

    /**
     * Flags a RUNNING job, in the caller's transaction holding its row: the pipeline stops at its
     * next check and the worker ends the job CANCELLED.
     */
    void requestCancel(JobEntity job) {
        job.requestCancel();
        live.requestCancel(job.id());
    }

    /**
     * Ends the job in a transaction of its own, holding the row lock, then announces it.
     *
     * @param ending how it ends, given the job as it is when locked
     * @param owed   what the running job still owes its record (its last phase's timing, its poll
     *               policy), written first in the same transaction; a job already ended gets none of it
     * @throws IllegalArgumentException when the job does not exist
     * @throws IllegalStateException    when the job may not end so (it already ended, or never started)
     */
    JobView end(long jobId, Function<JobEntity, Ending> ending, Consumer<JobEntity> owed) {
        record Ended(JobView view, Ending ending) {
        }
        Ended ended = transactions.execute(status -> {
            JobEntity job = jobs.findByIdForUpdate(jobId).orElseThrow(() ->
                    new IllegalArgumentException("job " + jobId + " does not exist"));
            if (!job.state().terminal()) {
                owed.accept(job);
            }
            Ending how = ending.apply(job);
            end(job, how);
            return new Ended(views.of(job), how);
        });
        announce(ended.view(), ended.ending());
        return ended.view();
    }

    /**
     * Ends the job in the caller's transaction, which holds the job row's lock (or runs at start-up,
     * before any worker): the final state, its outcome fields, then its audit record. The caller
     * {@linkplain #announce announces} it after the commit.
     */
    void end(JobEntity job, Ending ending) {
        if (!mayEnd(job.state(), ending.state())) {
            throw new IllegalStateException("job " + job.id() + " is " + job.state() + ", not RUNNING; cannot record "
                    + ending.state());
        }
        if (ending.serialNumber() != null) {
            job.pass(ending.serialNumber());
        }
        if (ending.code() != null) {
            job.error(ending.code(), ending.message(), ending.mismatchAddress());
        }
        LiveJobs.Progress progress = live.progress(job.id()).orElse(null);
        job.finish(ending.state(), clock.instant(), progress != null ? progress.bytesDone() : job.bytesDone(),
                progress != null ? progress.bytesTotal() : job.bytesTotal());
        jobs.flush();
        // A pass or fail counts against the work order the job was queued under (whichever is
        // active now), holding its row like the job's: before the audit head, as every writer does.
        Optional<WorkOrderCompletion> completed = Optional.empty();
        if (job.workOrderId() != null && (ending.state() == JobState.PASSED || ending.state() == JobState.FAILED)) {
            completed = workOrders.count(job.workOrderId(), ending.state() == JobState.PASSED);
        }
        // Appended last: the audit head stays locked only from here to the commit.
        Actor actor = ending.attribution().of(job);
        auditLog.append(JobAudit.entry(auditType(ending.state()), job,
                firmware.find(job.firmwareId()).map(Firmware::version).orElse(null), actor));
        completed.ifPresent(completion -> workOrders.recordCompleted(completion, job.id(), actor));
    }

    /** After the commit of an ending: the port shows the outcome, the metrics count it, listeners hear of it. */
    void announce(JobView view, Ending ending) {
        live.forget(view.id());
        registry.jobFinished(view.port(), view.id(), portState(ending.state()), ending.portReason());
        metrics.finished(view, ending.code());
        events.publishEvent(new JobFinishedEvent(view));
    }

    /** A running job may end in any final state; a queued one only cancelled, or interrupted by a crash. */
    private static boolean mayEnd(JobState from, JobState to) {
        return to.terminal() && (from == JobState.RUNNING
                || from == JobState.QUEUED && (to == JobState.CANCELLED || to == JobState.INTERRUPTED));
    }

    private static AuditType auditType(JobState outcome) {
        return switch (outcome) {
            case PASSED -> AuditType.JOB_PASSED;
            case FAILED -> AuditType.JOB_FAILED;
            case CANCELLED -> AuditType.JOB_CANCELLED;
            case INTERRUPTED -> AuditType.JOB_INTERRUPTED;
            case QUEUED, RUNNING -> throw new IllegalArgumentException(outcome + " is not a final state");
        };
    }

    private static PortState portState(JobState outcome) {
        return switch (outcome) {
            case PASSED -> PortState.PASSED;
            case FAILED -> PortState.FAILED;
            default -> PortState.DONE_WAITING_REMOVAL;
        };
    }
}
