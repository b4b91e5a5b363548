package com.flashline.job;

import com.flashline.flashing.Phase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The writes a running job makes between its start and its outcome (start of an attempt, phase
 * changes, phase timings, identification), each one conditional SQL statement in its own auto-commit, with no
 * entity read first. They run several times per board on every worker, so they bypass the JPA
 * session and query translation, which cost about ten times the statement itself. Every
 * statement only touches a live job ({@link JobState#LIVE}); a finished job stays as it was
 * recorded. Each returns the number of rows changed: 0 means the job is missing or already final.
 */
@Component
class LiveJobStatements {

    /** The SQL condition of a live job ({@link JobState#LIVE}): {@code state IN ('QUEUED', 'RUNNING')}. */
    static final String LIVE = JobState.LIVE.stream().map(state -> "'" + state.name() + "'")
            .collect(Collectors.joining(", ", "state IN (", ")"));

    private final JdbcClient jdbc;

    LiveJobStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    /** RUNNING in attempt {@code attempt}; the first start also sets {@code started_at}. */
    int start(long jobId, int attempt, Instant now) {
        return jdbc.sql("UPDATE job SET state = 'RUNNING', attempt = ?, started_at = COALESCE(started_at, ?) "
                        + "WHERE id = ? AND " + LIVE)
                .params(attempt, now.atOffset(ZoneOffset.UTC), jobId)
                .update();
    }

    int enterPhase(long jobId, Phase phase) {
        return jdbc.sql("UPDATE job SET phase = ? WHERE id = ? AND " + LIVE)
                .params(phase.name(), jobId)
                .update();
    }

    /** The insert reads the job row in the same statement, so a job that just finished gets no late timing. */
    int appendPhase(long jobId, int seq, int attempt, Phase phase, long durationMs) {
        return jdbc.sql("INSERT INTO job_phase (job_id, seq, attempt, name, duration_ms) "
                        + "SELECT id, ?, ?, ?, ? FROM job WHERE id = ? AND " + LIVE)
                .params(seq, attempt, phase.name(), durationMs, jobId)
                .update();
    }

    int pollPolicy(long jobId, String pollPolicy) {
        return jdbc.sql("UPDATE job SET poll_policy = ? WHERE id = ? AND " + LIVE)
                .params(pollPolicy, jobId)
                .update();
    }

    /** A null {@code usbSerial} keeps the one recorded when the job was queued. */
    int identify(long jobId, String usbSerial, String chipUid) {
        return jdbc.sql("UPDATE job SET usb_serial = COALESCE(?, usb_serial), chip_uid = ? WHERE id = ? AND " + LIVE)
                .params(usbSerial, chipUid, jobId)
                .update();
    }
}
