package com.flashline.job;

import com.flashline.flashing.Phase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The writes a running job makes between its start and its outcome (start of an attempt, phase
 * changes, phase timings, identification), each one conditional SQL statement with no entity read
 * first. They run several times per board on every worker, so they bypass the JPA session and
 * query translation, which cost about ten times the statement itself. Every statement only
 * touches a live job ({@link JobState#LIVE}); a finished job stays as it was recorded. Each
 * returns the number of rows changed: 0 means the job is missing or already final.
 *
 * <p>Each commit is a write to the database's file (on H2 with {@code WRITE_DELAY=0} a new chunk of
 * its store), so what a job owes its record ({@link JobRecorder}: a finished phase's timing, the
 * poll policy) travels with its next write instead of being committed on its own: the poll policy
 * as a column of the same UPDATE (in its own auto-commit), the timing as an insert in the same
 * transaction ({@link #withTiming}).
 */
@Component
class LiveJobStatements {

    /** The SQL condition of a live job ({@link JobState#LIVE}): {@code state IN ('QUEUED', 'RUNNING')}. */
    static final String LIVE = JobState.LIVE.stream().map(state -> "'" + state.name() + "'")
            .collect(Collectors.joining(", ", "state IN (", ")"));

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    LiveJobStatements(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** A finished phase's timing row, with the attempt it was finished in and its place among the job's phases. */
    record PhaseRow(int seq, int attempt, Phase phase, long durationMs) {
    }

    /** What a worker needs to know of a job it starts; null fields are not set. */
    record StartRow(String port, JobState state, Instant startedAt) {
    }

    Optional<StartRow> startRow(long jobId) {
        return jdbc.sql("SELECT port, state, started_at FROM job WHERE id = ?")
                .param(jobId)
                .query((rs, n) -> new StartRow(rs.getString("port"), JobState.valueOf(rs.getString("state")),
                        JobListQuery.instant(rs, "started_at")))
                .optional();
    }

    /**
     * RUNNING in attempt {@code attempt}; the first start also sets {@code started_at}. A non-null
     * {@code pollPolicy} is written too (one the previous attempt still owed).
     */
    int start(long jobId, int attempt, Instant now, String pollPolicy) {
        return jdbc.sql("UPDATE job SET state = 'RUNNING', attempt = ?, started_at = COALESCE(started_at, ?), "
                        + "poll_policy = COALESCE(?, poll_policy) WHERE id = ? AND " + LIVE)
                .params(attempt, now.atOffset(ZoneOffset.UTC), pollPolicy, jobId)
                .update();
    }

    /** The job's current phase; a non-null {@code pollPolicy} is written too. */
    int enterPhase(long jobId, Phase phase, String pollPolicy) {
        return jdbc.sql("UPDATE job SET phase = ?, poll_policy = COALESCE(?, poll_policy) WHERE id = ? AND " + LIVE)
                .params(phase.name(), pollPolicy, jobId)
                .update();
    }

    /** The insert reads the job row in the same statement, so a job that just finished gets no late timing. */
    int appendPhase(long jobId, PhaseRow row) {
        return jdbc.sql("INSERT INTO job_phase (job_id, seq, attempt, name, duration_ms) "
                        + "SELECT id, ?, ?, ?, ? FROM job WHERE id = ? AND " + LIVE)
                .params(row.seq(), row.attempt(), row.phase().name(), row.durationMs(), jobId)
                .update();
    }

    /**
     * A null {@code usbSerial} keeps the one recorded when the job was queued; a non-null
     * {@code pollPolicy} is written too.
     */
    int identify(long jobId, String usbSerial, String chipUid, String pollPolicy) {
        return jdbc.sql("UPDATE job SET usb_serial = COALESCE(?, usb_serial), chip_uid = ?, "
                        + "poll_policy = COALESCE(?, poll_policy) WHERE id = ? AND " + LIVE)
                .params(usbSerial, chipUid, pollPolicy, jobId)
                .update();
    }

    /**
     * {@code update} (one of the statements above) and, when it changed the job, {@code timing}, in
     * one transaction: one commit. The update comes first, so the job's row is locked while the
     * timing's insert checks that the job is still live; when the job is no longer live neither is
     * written.
     *
     * @return what {@code update} returned
     */
    int withTiming(IntSupplier update, long jobId, PhaseRow timing) {
        Integer changed = transactions.execute(status -> {
            int rows = update.getAsInt();
            if (rows > 0) {
                appendPhase(jobId, timing);
            }
            return rows;
        });
        return changed == null ? 0 : changed;
    }
}
