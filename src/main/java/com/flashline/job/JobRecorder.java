package com.flashline.job;

import com.flashline.error.FailureCode;
import com.flashline.flashing.Phase;
import com.flashline.job.JobTransitions.Ending;
import com.flashline.station.PortRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the flashing pipeline reports while it runs a job. Start, phase changes and identification
 * are written as they happen, so that a crash leaves the phase the board was in; byte progress
 * stays in memory. The writes before the outcome are conditional statements
 * ({@link LiveJobStatements}) that only touch a live job; the start and the outcome are state
 * changes, made by {@link JobTransitions}.
 *
 * <p>Every commit costs a write to the database's file (on H2 with {@code WRITE_DELAY=0} a new
 * chunk of its store), so two things a job reports wait for its next write instead of committing
 * on their own: a finished phase's timing is written in the transaction that enters the next phase
 * (the pipeline finishes one phase and enters the next with nothing in between), and the poll
 * policy, told at the start of IDENTIFY, with the chip's identification. Whatever is still owed
 * when the job ends goes into its ending's transaction, and what one attempt owes into the next
 * attempt's start; a write that fails keeps it owed. Only a kill (or a stop) between a phase's end
 * and that next write loses the phase's timing; the job's phase is right either way.
 */
@Service
public class JobRecorder {

    private final JobRepository jobs;
    private final JobPhaseRepository phases;
    private final LiveJobStatements statements;
    private final JobTransitions transitions;
    private final LiveJobs live;
    private final PortRegistry registry;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    /** {@link System#nanoTime()}; tests set their own, so that the progress-event spacing is theirs. */
    LongSupplier nanoTime = System::nanoTime;

    /**
     * At most one byte-progress event per job this often (the last of a phase always goes out).
     * A job reports progress per 2 KiB block, up to every 2.6 ms while it reads back; the event
     * stream sends a job's progress at most every 250 ms and keeps only the latest, so events in
     * between were thrown away after costing the worker a pass through Spring's event multicaster
     * (13 % of the flashing threads' CPU in a profile of 32-board batches, docs/benchmarks.md).
     */
    static final long PROGRESS_EVENT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * What a started job's later writes need, so that they need not read the job first; when its
     * last byte-progress event was published ({@link System#nanoTime()}); and what it owes its
     * record until its next write: the timing of the phase it finished last, the poll policy.
     */
    private record Running(String port, int attempt, AtomicInteger lastSeq, AtomicLong lastProgressEvent,
            AtomicReference<LiveJobStatements.PhaseRow> owedTiming, AtomicReference<String> owedPollPolicy) {

        Running(String port, int attempt, AtomicInteger lastSeq, long lastProgressEvent) {
            this(port, attempt, lastSeq, new AtomicLong(lastProgressEvent), new AtomicReference<>(),
                    new AtomicReference<>());
        }
    }

    JobRecorder(JobRepository jobs, JobPhaseRepository phases, LiveJobStatements statements,
            JobTransitions transitions, LiveJobs live, PortRegistry registry, ApplicationEventPublisher events,
            PlatformTransactionManager transactionManager) {
        this.jobs = jobs;
        this.phases = phases;
        this.statements = statements;
        this.transitions = transitions;
        this.live = live;
        this.registry = registry;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
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
        Running known = running.get(jobId);
        // The start only takes a job that is still live: one cancelled meanwhile stays so.
        if (row.state().terminal() || !start(jobId, attempt, known)) {
            running.remove(jobId);
            return false;
        }
        // A job that never started has no phase rows yet; one restarted elsewhere may have some.
        AtomicInteger lastSeq = known != null ? known.lastSeq()
                : new AtomicInteger(row.startedAt() == null ? 0 : phases.lastSeq(jobId));
        running.put(jobId, new Running(row.port(), attempt, lastSeq, nanoTime.getAsLong() - PROGRESS_EVENT_INTERVAL_NANOS));
        registry.jobStarted(row.port(), jobId);
        return true;
    }

    /** The conditional start; a retry's also writes what the attempt before still owed ({@code previous}). */
    private boolean start(long jobId, int attempt, Running previous) {
        if (previous == null) {
            return transitions.start(jobId, attempt, null);
        }
        return writeCarryingOwed(jobId, previous, policy -> transitions.start(jobId, attempt, policy) ? 1 : 0) > 0;
    }

    /** Persists the job's current phase, with the timing of the phase finished before it: one commit. */
    public void phaseStarted(long jobId, Phase phase) {
        live.phase(jobId, phase);
        Running started = running.get(jobId);
        int changed = started != null
                ? writeCarryingOwed(jobId, started, policy -> statements.enterPhase(jobId, phase, policy))
                : statements.enterPhase(jobId, phase, null);
        if (changed == 0) {
            requireExists(jobId);
        }
        events.publishEvent(JobProgressEvent.phase(jobId));
    }

    /**
     * One phase timing (per attempt): owed until the job's next write (the next phase, the outcome,
     * the next attempt's start), which carries it.
     */
    public void phaseFinished(long jobId, Phase phase, Duration duration) {
        Running started = running.get(jobId);
        if (started != null) {
            LiveJobStatements.PhaseRow earlier = started.owedTiming().get();
            if (earlier != null) {
                // Two phases finished without one entered between (not the pipeline's order): the
                // earlier timing is written now, so that none waits behind another.
                if (statements.appendPhase(jobId, earlier) == 0) {
                    requireExists(jobId);
                }
                started.owedTiming().compareAndSet(earlier, null);
            }
            started.owedTiming().set(new LiveJobStatements.PhaseRow(started.lastSeq().incrementAndGet(),
                    started.attempt(), phase, duration.toMillis()));
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

    /**
     * Byte progress of the current phase: memory only, read by GET /jobs/{id} (every block); its
     * event at most every {@link #PROGRESS_EVENT_INTERVAL_NANOS} per job, and always when the phase's
     * bytes are all done.
     */
    public void progress(long jobId, long bytesDone, long bytesTotal) {
        live.bytes(jobId, bytesDone, bytesTotal);
        Running started = running.get(jobId);
        if (started != null && bytesDone < bytesTotal) {
            long now = nanoTime.getAsLong();
            long last = started.lastProgressEvent().get();
            if (now - last < PROGRESS_EVENT_INTERVAL_NANOS || !started.lastProgressEvent().compareAndSet(last, now)) {
                return;
            }
        }
        events.publishEvent(JobProgressEvent.bytes(jobId, bytesDone, bytesTotal));
    }

    /** The device's USB serial string and 96-bit unique ID (hex) as read in IDENTIFY. */
    public void identified(long jobId, String usbSerial, String chipUid) {
        Running started = running.get(jobId);
        if (started != null) {
            if (writeCarryingOwed(jobId, started, policy -> statements.identify(jobId, usbSerial, chipUid, policy)) > 0) {
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

    /**
     * How the DFU engine polls the job's board (the ROM table's choice or the station's forced one):
     * owed until the job's next write, the identification that follows it in IDENTIFY.
     */
    public void pollPolicy(long jobId, String pollPolicy) {
        Running started = running.get(jobId);
        if (started != null) {
            started.owedPollPolicy().set(pollPolicy);
            return;
        }
        updateLive(jobId, job -> job.pollPolicy(pollPolicy));
    }

    /** Every byte was written and read back; {@code serialNumber} is null for recipes without one. */
    public JobView passed(long jobId, String serialNumber) {
        return end(jobId, job -> Ending.passed(serialNumber));
    }

    /**
     * The job failed for good (after its last attempt).
     *
     * @param firstMismatchAddress the first differing address on a verify failure, else null
     */
    public JobView failed(long jobId, FailureCode code, String message, Long firstMismatchAddress) {
        return end(jobId, job -> Ending.failed(code, message, firstMismatchAddress));
    }

    /** The pipeline stopped because of a cancel request. */
    public JobView cancelled(long jobId) {
        return end(jobId, job -> Ending.cancelled(
                "cancelled while " + (job.phase() != null ? job.phase() : "starting")));
    }

    /**
     * The worker stopped the job on its own before it changed the board, e.g. {@code ALREADY_PASSED}
     * when the chip is one that just passed on this port (see {@link PassedBoardLatch}).
     */
    public JobView cancelled(long jobId, FailureCode code, String reason) {
        return end(jobId, job -> Ending.stopped(code, reason));
    }

    /**
     * The ending's transaction also writes what the job still owes. The job is forgotten once its
     * ending committed, or turned out impossible (a missing job, one already ended); when the
     * database failed, what the job owes is kept for the ending the worker records once it is back.
     */
    private JobView end(long jobId, Function<JobEntity, Ending> ending) {
        Running started = running.get(jobId);
        LiveJobStatements.PhaseRow timing = started == null ? null : started.owedTiming().get();
        String pollPolicy = started == null ? null : started.owedPollPolicy().get();
        JobView ended;
        try {
            ended = transitions.end(jobId, ending, job -> {
                if (pollPolicy != null) {
                    job.pollPolicy(pollPolicy);
                }
                if (timing != null) {
                    statements.appendPhase(jobId, timing);
                }
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            running.remove(jobId);
            throw e;
        }
        running.remove(jobId);
        return ended;
    }

    /**
     * Runs {@code update}, one conditional write of the running job, given the poll policy the job
     * owes (null when none) to write with it, and with the phase timing it owes in the same
     * transaction. Once it returned, nothing is owed any more: it was written, or the job is no
     * longer live and gets no late writes. When it throws, all stays owed.
     *
     * @return what {@code update} returned: the rows changed
     */
    private int writeCarryingOwed(long jobId, Running started, ToIntFunction<String> update) {
        LiveJobStatements.PhaseRow timing = started.owedTiming().get();
        String pollPolicy = started.owedPollPolicy().get();
        int changed = timing == null ? update.applyAsInt(pollPolicy)
                : statements.withTiming(() -> update.applyAsInt(pollPolicy), jobId, timing);
        started.owedTiming().compareAndSet(timing, null);
        started.owedPollPolicy().compareAndSet(pollPolicy, null);
        return changed;
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
