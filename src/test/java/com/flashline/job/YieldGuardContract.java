package com.flashline.job;

import static com.flashline.support.Fixtures.TESTER;
import static com.flashline.support.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.catalog.Recipe;
import com.flashline.error.FailureCode;
import com.flashline.station.PortRegistry;
import com.flashline.station.PortState;
import com.flashline.station.StationService;
import com.flashline.support.Fixtures;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The station yield guard with a window of 4 jobs and a minimum yield of 50 %: auto-start pauses,
 * stays paused across a restart, and runs again (queuing the boards that waited) when an
 * operator enables it. Run on H2 and on PostgreSQL by the subclasses; each test starts with the
 * guard released and counting from the jobs after it.
 */
@Import(JobLifecycleTest.DispatcherConfig.class)
@TestPropertySource(properties = {
        "flashline.interlock.yield-window=4",
        "flashline.interlock.min-yield=0.5",
        // Ports are not interlocked here, so that failed runs only exercise the station guard.
        "flashline.interlock.max-consecutive-failures=0"})
abstract class YieldGuardContract {

    private static final AtomicInteger PORTS = new AtomicInteger(1);

    @Autowired
    MockMvc mvc;
    @Autowired
    Fixtures fixtures;
    @Autowired
    JobService jobs;
    @Autowired
    JobRecorder recorder;
    @Autowired
    PortRegistry registry;
    @Autowired
    StationService station;
    @Autowired
    YieldGuard guard;
    @Autowired
    AuditLog auditLog;
    @Autowired
    JdbcTemplate jdbc;

    private Recipe recipe;
    private String port;

    @BeforeEach
    void freshGuard() {
        jdbc.update("UPDATE station_yield_guard SET paused_reason = NULL, paused_at = NULL, "
                + "counted_after_job_id = (SELECT COALESCE(MAX(id), 0) FROM job)");
        station.showAutoStartPause(null);
        recipe = fixtures.recipe();
        port = attach();
    }

    /** Leaves the shared context's station as the other tests expect it: no default recipe, auto-start off. */
    @AfterEach
    void stationAsBefore() throws Exception {
        mvc.perform(put("/api/v1/station").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"defaultRecipeId\":null,\"autoStart\":false}"))
                .andExpect(status().isOk());
    }

    @Test
    void aLowYieldPausesAutoStartUntilAnOperatorEnablesItAndThenTheWaitingBoardIsQueued() throws Exception {
        long seqBefore = lastSeq();
        pass();
        fail();
        fail();
        assertThat(station.autoStartPause()).isEmpty(); // three jobs do not fill the window yet
        long fourth = fail();

        assertThat(station.autoStartPause()).hasValueSatisfying(pause -> assertThat(pause.reason())
                .contains("yield 1/4 (25 %) of the last 4 jobs is under 50 %").contains("job " + fourth));
        mvc.perform(get("/api/v1/station"))
                .andExpect(jsonPath("$.autoStartPaused.reason").value(Matchers.containsString("yield 1/4")))
                .andExpect(jsonPath("$.autoStartPaused.since").isNotEmpty());
        AuditRecord paused = only(AuditType.AUTO_START_PAUSED, seqBefore);
        assertThat(paused.actor()).isEqualTo("system");
        assertThat(paused.jobId()).isEqualTo(fourth);

        autoStart(true);
        String waiting = attach();
        assertThat(jobs.search(null, waiting, null, 0, 10).items()).isEmpty();
        assertThat(registry.port(waiting).orElseThrow().state()).isEqualTo(PortState.DEVICE_PRESENT);
        assertThat(registry.port(waiting).orElseThrow().reason()).startsWith("auto-start paused: yield 1/4");
        // A job requested by hand still starts.
        mvc.perform(post("/api/v1/jobs").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"port\":\"" + port + "\",\"recipeId\":" + recipe.id() + "}"))
                .andExpect(status().isAccepted());

        mvc.perform(post("/api/v1/station/enable").with(csrf()).with(user("op").roles("OPERATOR")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.autoStartPaused").doesNotExist());
        assertThat(station.autoStartPause()).isEmpty();
        assertThat(only(AuditType.AUTO_START_ENABLED, seqBefore).actor()).isEqualTo("op");
        assertThat(jobs.search(JobState.QUEUED, waiting, null, 0, 10).items()).hasSize(1);
        assertThat(registry.port(waiting).orElseThrow().state()).isEqualTo(PortState.QUEUED);
    }

    @Test
    void aYieldAtTheMinimumDoesNotPauseAndTheJobsBeforeAnEnableDoNotCountAgain() throws Exception {
        pass();
        fail();
        pass();
        fail();
        assertThat(station.autoStartPause()).isEmpty();
        fail();
        assertThat(station.autoStartPause()).isPresent(); // 1 of the last 4 passed

        mvc.perform(post("/api/v1/station/enable").with(csrf())).andExpect(status().isOk());
        fail();
        fail();
        fail();
        assertThat(station.autoStartPause()).isEmpty();
        fail();
        assertThat(station.autoStartPause()).isPresent();
    }

    @Test
    void cancelledJobsDoNotCount() {
        fail();
        fail();
        fail();
        long cancelled = jobs.enqueue(port, recipe.id(), TESTER).id();
        jobs.cancel(cancelled, TESTER);
        assertThat(station.autoStartPause()).isEmpty();
    }

    @Test
    void thePauseSurvivesARestart() {
        fail();
        fail();
        fail();
        fail();
        station.showAutoStartPause(null); // the runtime state a restart loses
        guard.showPause();
        assertThat(station.autoStartPause()).hasValueSatisfying(pause ->
                assertThat(pause.reason()).contains("yield 0/4"));
    }

    @Test
    void enablingWhenNotPausedIsAConflictAndAViewerMayNot() throws Exception {
        mvc.perform(post("/api/v1/station/enable").with(csrf())).andExpect(problem(409, "CONFLICT"));
        mvc.perform(get("/api/v1/station")).andExpect(jsonPath("$.autoStartPaused").doesNotExist());
        fail();
        fail();
        fail();
        fail();
        mvc.perform(post("/api/v1/station/enable").with(csrf()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isForbidden());
        assertThat(station.autoStartPause()).isPresent();
    }

    private String attach() {
        String path = "8-" + PORTS.getAndIncrement();
        registry.deviceArrived(path, Fixtures.device(path, "USB-Y" + path));
        return path;
    }

    private void autoStart(boolean on) throws Exception {
        mvc.perform(put("/api/v1/station").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"defaultRecipeId\":%d,\"autoStart\":%b}".formatted(recipe.id(), on)))
                .andExpect(status().isOk());
    }

    private long fail() {
        long id = jobs.enqueue(port, recipe.id(), TESTER).id();
        recorder.started(id, 1);
        recorder.failed(id, FailureCode.VERIFY_MISMATCH, "read back 0xff, wrote 0x00", null);
        return id;
    }

    private void pass() {
        long id = jobs.enqueue(port, recipe.id(), TESTER).id();
        recorder.started(id, 1);
        recorder.passed(id, null);
    }

    private AuditRecord only(AuditType type, long after) {
        List<AuditRecord> records = auditLog.after(after, 1000).records().stream()
                .filter(r -> r.type() == type).toList();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private long lastSeq() {
        return jdbc.queryForObject("SELECT last_seq FROM audit_head", Long.class);
    }
}
