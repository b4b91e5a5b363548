package com.flashline.job;

import static com.flashline.support.Fixtures.TESTER;

import com.flashline.flashing.Phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.catalog.Recipe;
import com.flashline.error.FailureCode;
import com.flashline.station.PortRegistry;
import com.flashline.support.Fixtures;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/** Job rows, phase rows, row locks and crash recovery on a real database; H2 and PostgreSQL subclasses. */
abstract class JobPersistenceContract {

    private static final AtomicInteger PORTS = new AtomicInteger(1);

    @Autowired
    Fixtures fixtures;
    @Autowired
    JobService jobs;
    @Autowired
    JobRecorder recorder;
    @Autowired
    JobRecovery recovery;
    @Autowired
    PortRegistry registry;
    @Autowired
    AuditLog auditLog;
    @Autowired
    JobListQuery list;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JobRepository jobRepository;

    private String attachedPort() {
        String port = "9-" + PORTS.getAndIncrement();
        registry.deviceArrived(port, Fixtures.device(port, "SN-" + port));
        return port;
    }

    @Test
    void phasesAreStoredPerAttemptAndTheFinalStateWithItsAudit() {
        Recipe recipe = fixtures.recipe();
        String port = attachedPort();
        long id = jobs.enqueue(port, recipe.id(), TESTER).id();
        recorder.started(id, 1);
        recorder.phaseStarted(id, Phase.CONNECT);
        recorder.phaseFinished(id, Phase.CONNECT, Duration.ofMillis(5));
        recorder.started(id, 2);
        recorder.phaseStarted(id, Phase.CONNECT);
        recorder.phaseFinished(id, Phase.CONNECT, Duration.ofMillis(7));
        recorder.pollPolicy(id, "HELD_STATUS");
        recorder.identified(id, "SN-X", "UID-X");
        recorder.progress(id, 10, 10);
        JobView done = recorder.passed(id, null);

        assertThat(done.pollPolicy()).isEqualTo("HELD_STATUS");
        assertThat(jobs.search(null, port, null, 0, 1).items()).extracting(JobView::pollPolicy)
                .containsExactly("HELD_STATUS");
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.phases()).extracting(JobView.PhaseTiming::attempt).containsExactly(1, 2);
        assertThat(done.phases()).extracting(JobView.PhaseTiming::durationMs).containsExactly(5L, 7L);
        assertThat(jdbc.queryForObject("SELECT state FROM job WHERE id = ?", String.class, id)).isEqualTo("PASSED");
        assertThat(jdbc.queryForObject("SELECT bytes_done FROM job WHERE id = ?", Long.class, id)).isEqualTo(10L);
        assertThat(audit(id)).extracting(AuditRecord::type).containsExactly(AuditType.JOB_PASSED);
        assertThat(jobs.search(JobState.PASSED, port, "SN-X", 0, 10).items()).extracting(JobView::id).containsExactly(id);
    }

    @Test
    void aPhaseTimingIsWrittenWithTheNextPhaseAndThePollPolicyWithTheIdentification() {
        long id = jobs.enqueue(attachedPort(), fixtures.recipe().id(), TESTER).id();
        recorder.started(id, 1);
        recorder.phaseStarted(id, Phase.CONNECT);
        recorder.phaseFinished(id, Phase.CONNECT, Duration.ofMillis(5));
        assertThat(timings(id)).as("owed until the next phase").isEmpty();

        recorder.phaseStarted(id, Phase.IDENTIFY);
        assertThat(phase(id)).isEqualTo("IDENTIFY");
        assertThat(timings(id)).containsExactly("1 CONNECT 5");
        recorder.pollPolicy(id, "HELD_STATUS");
        assertThat(pollPolicy(id)).as("owed until the identification").isNull();
        recorder.identified(id, "SN-I", "UID-I");
        assertThat(pollPolicy(id)).isEqualTo("HELD_STATUS");
        recorder.phaseFinished(id, Phase.IDENTIFY, Duration.ofMillis(6));
        JobView done = recorder.passed(id, null);

        assertThat(timings(id)).containsExactly("1 CONNECT 5", "1 IDENTIFY 6");
        assertThat(done.phases()).extracting(JobView.PhaseTiming::name).containsExactly(Phase.CONNECT, Phase.IDENTIFY);
        assertThat(done.uid()).isEqualTo("UID-I");
    }

    /** Each way the worker ends a job, after a phase finished and before the next was entered. */
    @Test
    void everyEndingWritesTheTimingAndPollPolicyTheJobStillOwed() {
        Recipe recipe = fixtures.recipe();
        List<LongFunction<JobView>> endings = List.of(
                id -> recorder.passed(id, null),
                id -> recorder.failed(id, FailureCode.DEVICE_GONE, "gone", null),
                id -> recorder.cancelled(id),
                id -> recorder.cancelled(id, FailureCode.ALREADY_PASSED, "passed just now"));
        for (LongFunction<JobView> ending : endings) {
            long id = jobs.enqueue(attachedPort(), recipe.id(), TESTER).id();
            recorder.started(id, 1);
            recorder.phaseStarted(id, Phase.CONNECT);
            recorder.phaseFinished(id, Phase.CONNECT, Duration.ofMillis(5));
            recorder.phaseStarted(id, Phase.IDENTIFY);
            recorder.pollPolicy(id, "SPEC_LITERAL");
            recorder.phaseFinished(id, Phase.IDENTIFY, Duration.ofMillis(6));

            JobView ended = ending.apply(id);

            assertThat(ended.state().terminal()).isTrue();
            assertThat(timings(id)).as("%s", ended.state()).containsExactly("1 CONNECT 5", "1 IDENTIFY 6");
            assertThat(ended.phases()).extracting(JobView.PhaseTiming::durationMs).containsExactly(5L, 6L);
            assertThat(ended.pollPolicy()).isEqualTo("SPEC_LITERAL");
            assertThat(pollPolicy(id)).isEqualTo("SPEC_LITERAL");
        }
    }

    @Test
    void aRetryStartsWithWhatTheAttemptBeforeOwed() {
        long id = jobs.enqueue(attachedPort(), fixtures.recipe().id(), TESTER).id();
        recorder.started(id, 1);
        recorder.phaseStarted(id, Phase.IDENTIFY);
        recorder.pollPolicy(id, "HELD_STATUS");
        recorder.phaseFinished(id, Phase.IDENTIFY, Duration.ofMillis(5));

        recorder.started(id, 2);

        assertThat(timings(id)).containsExactly("1 IDENTIFY 5");
        assertThat(pollPolicy(id)).isEqualTo("HELD_STATUS");
        recorder.phaseStarted(id, Phase.CONNECT);
        recorder.phaseFinished(id, Phase.CONNECT, Duration.ofMillis(7));
        recorder.failed(id, FailureCode.DEVICE_GONE, "gone", null);
        assertThat(timings(id)).containsExactly("1 IDENTIFY 5", "2 CONNECT 7");
    }

    /**
     * The phase and the timing it carries commit together or not at all, and a write that failed
     * leaves the timing owed: the ending recorded afterwards (as the worker does once the database
     * is back) still writes it.
     */
    @Test
    void aFailedWriteLeavesThePhaseAsItWasAndTheTimingOwedToTheEnding() {
        long id = jobs.enqueue(attachedPort(), fixtures.recipe().id(), TESTER).id();
        recorder.started(id, 1);
        recorder.phaseStarted(id, Phase.ERASE);
        recorder.phaseFinished(id, Phase.ERASE, Duration.ofMillis(9));
        // A row in the way of the timing's insert: the transaction that enters WRITE fails.
        jdbc.update("INSERT INTO job_phase (job_id, seq, attempt, name, duration_ms) VALUES (?, 1, 1, 'CONNECT', 1)", id);

        assertThatThrownBy(() -> recorder.phaseStarted(id, Phase.WRITE)).isInstanceOf(DataAccessException.class);

        assertThat(phase(id)).as("rolled back with the timing").isEqualTo("ERASE");
        jdbc.update("DELETE FROM job_phase WHERE job_id = ?", id);
        recorder.failed(id, FailureCode.DATABASE_ERROR, "the database was away", null);
        assertThat(timings(id)).containsExactly("1 ERASE 9");
    }

    /** A job ended by another writer (here: by hand) gets none of what its worker still owed. */
    @Test
    void aJobThatIsNoLongerLiveGetsNoLateWrites() {
        long id = jobs.enqueue(attachedPort(), fixtures.recipe().id(), TESTER).id();
        recorder.started(id, 1);
        recorder.phaseStarted(id, Phase.CONNECT);
        recorder.phaseFinished(id, Phase.CONNECT, Duration.ofMillis(5));
        recorder.pollPolicy(id, "HELD_STATUS");
        jdbc.update("UPDATE job SET state = 'INTERRUPTED' WHERE id = ?", id);

        recorder.phaseStarted(id, Phase.IDENTIFY);
        recorder.identified(id, "SN-L", "UID-L");

        assertThat(phase(id)).isEqualTo("CONNECT");
        assertThat(timings(id)).isEmpty();
        assertThat(pollPolicy(id)).isNull();
        assertThat(jdbc.queryForObject("SELECT chip_uid FROM job WHERE id = ?", String.class, id)).isNull();
    }

    @Test
    void recoveryInterruptsOnlyThisStationsLiveJobs() {
        Recipe recipe = fixtures.recipe();
        long queued = jobs.enqueue(attachedPort(), recipe.id(), TESTER).id();
        long running = jobs.enqueue(attachedPort(), recipe.id(), TESTER).id();
        recorder.started(running, 1);
        insertJob("elsewhere", "1-1", JobState.RUNNING, recipe);
        long foreign = jdbc.queryForObject("SELECT MAX(id) FROM job WHERE station_id = 'elsewhere'", Long.class);

        assertThat(recovery.recover()).isGreaterThanOrEqualTo(2);

        assertThat(jobs.get(queued).state()).isEqualTo(JobState.INTERRUPTED);
        assertThat(jobs.get(running).state()).isEqualTo(JobState.INTERRUPTED);
        assertThat(jobs.get(foreign).state()).isEqualTo(JobState.RUNNING);
        assertThat(audit(queued)).extracting(AuditRecord::type).containsExactly(AuditType.JOB_INTERRUPTED);
        assertThat(audit(running)).extracting(AuditRecord::type).containsExactly(AuditType.JOB_INTERRUPTED);
        assertThat(audit(foreign)).isEmpty();
    }

    @Test
    void theSqlConditionOfALiveJobTakesExactlyTheLiveStates() {
        Recipe recipe = fixtures.recipe();
        String station = "live-" + PORTS.getAndIncrement();
        for (JobState state : JobState.values()) {
            insertJob(station, state.name(), state, recipe);
        }

        for (JobState state : JobState.values()) {
            assertThat(list.anyLive(station, state.name())).as(state.name()).isEqualTo(JobState.LIVE.contains(state));
            assertThat(state.terminal()).as(state.name()).isEqualTo(!JobState.LIVE.contains(state));
        }
    }

    /**
     * The list reads its columns by position; JPA maps them by name. With every column set and no
     * two values alike, a column read from another's position gives a row unlike JPA's.
     */
    @Test
    void theListReadsEveryColumnOfAJobAsJpaMapsIt() {
        fixtures.firmware(); // so that the recipe's id and its firmware's id differ
        Recipe recipe = fixtures.recipe();
        assertThat(recipe.id()).as("recipe and firmware ids must differ to tell them apart").isNotEqualTo(recipe.firmwareId());
        String port;
        long id;
        do { // until the job's id differs from both
            port = attachedPort();
            id = jobs.enqueue(port, recipe.id(), TESTER).id();
        } while (id == recipe.id() || id == recipe.firmwareId());
        OffsetDateTime queuedAt = jdbc.queryForObject("SELECT queued_at FROM job WHERE id = ?", OffsetDateTime.class, id);
        jdbc.update("UPDATE job SET usb_serial = 'usb-serial', chip_uid = 'chip-uid', poll_policy = 'poll-policy', "
                        + "state = 'FAILED', phase = 'VERIFY', bytes_done = 1001, bytes_total = 1002, attempt = 1003, "
                        + "serial_number = 'serial-number', cancel_requested = TRUE, started_at = ?, finished_at = ?, "
                        + "duration_ms = 1004, error_code = 'error-code', error_message = 'error-message', "
                        + "mismatch_address = 1005, cancelled_by = 'cancelled-by', work_order = 'work-order', lot = 'lot' "
                        + "WHERE id = ?",
                queuedAt.plusSeconds(1), queuedAt.plusSeconds(2), id);

        JobRow listed = list.page(JobFilter.of(null, port, null), 0, 1).rows().get(0);

        assertThat(listed).isEqualTo(jobRepository.findById(id).orElseThrow().row());
        assertThat(listed.startedAt()).isEqualTo(queuedAt.plusSeconds(1).toInstant());
        assertThat(listed.finishedAt()).isEqualTo(queuedAt.plusSeconds(2).toInstant());
    }

    /**
     * What the database holds of a queued job, read back, is what enqueue answered (the time to the
     * database's microsecond), and every column it did not set has the value of a job that has not
     * started.
     */
    @Test
    void aQueuedJobIsStoredAsEnqueueAnsweredAndAsJpaReadsIt() {
        String port = attachedPort();
        JobView queued = jobs.enqueue(port, fixtures.recipe().id(), TESTER);

        JobView stored = jobs.get(queued.id());

        assertThat(stored).usingRecursiveComparison().ignoringFields("queuedAt").isEqualTo(queued);
        // H2 rounds to the microsecond, PostgreSQL truncates: within one either way.
        assertThat(stored.queuedAt()).isCloseTo(queued.queuedAt(), within(1, ChronoUnit.MICROS));
        assertThat(stored.state()).isEqualTo(JobState.QUEUED);
        assertThat(stored.port()).isEqualTo(port);
        assertThat(stored.usbSerial()).isEqualTo("SN-" + port);
        assertThat(stored.startedBy()).isEqualTo(TESTER.name());
        assertThat(stored.attempt()).isZero();
        assertThat(stored.phase()).isNull();
        assertThat(stored.startedAt()).isNull();
        assertThat(jdbc.queryForObject("SELECT work_order_id FROM job WHERE id = ?", Long.class, queued.id())).isNull();
    }

    /** A job row written directly, as another station (or another run of this one) would have left it. */
    private void insertJob(String stationId, String port, JobState state, Recipe recipe) {
        jdbc.update("INSERT INTO job (station_id, port, recipe_id, firmware_id, firmware_sha256, state, bytes_done, "
                + "bytes_total, attempt, cancel_requested, queued_at, started_by) SELECT ?, ?, id, firmware_id, "
                + "'" + "0".repeat(64) + "', ?, 0, 0, 1, FALSE, CURRENT_TIMESTAMP, 'someone' FROM recipe WHERE id = ?",
                stationId, port, state.name(), recipe.id());
    }

    /** The job's phase rows as "attempt name duration", in order. */
    private List<String> timings(long jobId) {
        return jdbc.query("SELECT attempt, name, duration_ms FROM job_phase WHERE job_id = ? ORDER BY seq",
                (rs, n) -> rs.getInt(1) + " " + rs.getString(2) + " " + rs.getLong(3), jobId);
    }

    private String phase(long jobId) {
        return jdbc.queryForObject("SELECT phase FROM job WHERE id = ?", String.class, jobId);
    }

    private String pollPolicy(long jobId) {
        return jdbc.queryForObject("SELECT poll_policy FROM job WHERE id = ?", String.class, jobId);
    }

    private List<AuditRecord> audit(long jobId) {
        return jdbc.queryForList("SELECT seq FROM audit_record WHERE job_id = ? ORDER BY seq", Long.class, jobId).stream()
                .map(seq -> auditLog.after(seq - 1, 1).records().get(0))
                .toList();
    }
}
