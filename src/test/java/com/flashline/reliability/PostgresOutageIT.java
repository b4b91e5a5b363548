package com.flashline.reliability;

import static com.flashline.support.Fixtures.TESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.audit.AuditVerifier;
import com.flashline.catalog.CreateRecipeRequest;
import com.flashline.catalog.RecipeService;
import com.flashline.device.SimulatedFixture;
import com.flashline.error.FailureCode;
import com.flashline.flashing.EraseMode;
import com.flashline.flashing.Phase;
import com.flashline.job.JobService;
import com.flashline.job.JobState;
import com.flashline.job.JobView;
import com.flashline.support.Fixtures;
import com.flashline.support.GatedClock;
import com.flashline.support.SimulatedStation;
import com.flashline.support.SimulatedStationTest;
import com.flashline.support.ThrowawayPostgres;
import com.jayway.jsonpath.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Issue 16, row 2: PostgreSQL away for 10 s in the middle of a batch of 16 boards. The station
 * (in-process, simulated 16-port fixture, 8 workers) runs on a PostgreSQL cluster of this test's
 * own ({@link ThrowawayPostgres}), which is stopped while 8 jobs are in flight and 8 wait, and
 * started again 10 s later. Promised: while it is away health is DOWN and no job starts; the jobs
 * in flight end PASSED with all their records or FAILED {@code DATABASE_ERROR}; within 5 s of its
 * return the waiting jobs run (and pass); the audit chain verifies.
 */
@SimulatedStationTest
@DirtiesContext
class PostgresOutageIT {

    static final Duration OUTAGE = Duration.ofSeconds(10);
    static final Duration BACK_WITHIN = Duration.ofSeconds(5);
    static final int BOARDS = 16;
    static final int WORKERS = 8;
    static final long SERIAL_ADDRESS = 0x080F_FF00L;

    static ThrowawayPostgres postgres;

    @Autowired
    SimulatedFixture fixture;
    @Autowired
    GatedClock clock;
    @Autowired
    JobService jobs;
    @Autowired
    RecipeService recipes;
    @Autowired
    SimulatedStation simulated;
    @Autowired
    AuditLog auditLog;
    @Autowired
    AuditVerifier verifier;
    @Autowired
    MockMvc mvc;

    @DynamicPropertySource
    static void ownPostgres(DynamicPropertyRegistry registry) {
        postgres = ThrowawayPostgres.start();
        registry.add("spring.datasource.url", postgres::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("flashline.simulator.ports", () -> String.valueOf(BOARDS));
        registry.add("flashline.workers", () -> String.valueOf(WORKERS));
    }

    @AfterAll
    static void dropCluster() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void postgresAwayForTenSecondsInTheMiddleOfABatchOfSixteen() throws Exception {
        simulated.reset();
        long seqBefore = auditLog.after(0, 1).next();
        byte[] image = SimulatedStation.applicationImage(64 * 1024, 16);
        long recipe = recipes.create(new CreateRecipeRequest(Fixtures.unique("outage"), simulated.upload(image).id(),
                EraseMode.SECTORS, true, new CreateRecipeRequest.Serial(SERIAL_ADDRESS, "OUT-{seq:06d}", 1L, 16), null,
                false, true), TESTER).id();
        assertThat(health()).isEqualTo(200);

        // The batch: 16 boards, 8 workers. The gate holds the 8 in flight in their first timed step.
        clock.close();
        List<Long> ids = new ArrayList<>();
        for (String port : fixture.ports()) {
            fixture.plug(port);
            ids.add(jobs.enqueue(port, recipe, TESTER).id());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> clock.waiting() >= WORKERS
                && ids.stream().filter(id -> jobs.get(id).state() == JobState.RUNNING).count() == WORKERS);
        List<Long> inFlight = ids.stream().filter(id -> jobs.get(id).state() == JobState.RUNNING).toList();
        List<Long> waiting = ids.stream().filter(id -> jobs.get(id).state() == JobState.QUEUED).toList();
        assertThat(inFlight).hasSize(WORKERS);
        assertThat(waiting).hasSize(BOARDS - WORKERS);

        // PostgreSQL goes away.
        Instant stoppedAt = Instant.now();
        postgres.stopServer();
        await().atMost(BACK_WITHIN).until(() -> health() == 503);
        long downSeenMs = Duration.between(stoppedAt, Instant.now()).toMillis();
        MvcResult down = mvc.perform(get("/actuator/health")).andReturn();
        assertThat((String) JsonPath.read(down.getResponse().getContentAsString(), "$.components.database.status"))
                .isEqualTo("DOWN");
        // The jobs in flight carry on and meet the outage at their next record.
        clock.open();
        // For the rest of the 10 s: health stays DOWN (checked every 100 ms throughout).
        Duration rest = OUTAGE.minus(Duration.between(stoppedAt, Instant.now()));
        if (!rest.isNegative()) {
            await().during(rest).atMost(rest.plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> health() == 503);
        }

        // Back.
        Instant restartAt = Instant.now();
        postgres.startServer();
        Instant backAt = Instant.now();
        long awayMs = Duration.between(stoppedAt, backAt).toMillis();
        await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> waiting.stream().anyMatch(id -> jobs.get(id).startedAt() != null));
        long firstStartMs = Duration.between(backAt, Instant.now()).toMillis();
        await().atMost(BACK_WITHIN).until(() -> health() == 200);
        List<JobView> done = ids.stream().map(simulated::awaitFinal).toList();

        // No job started while it was away: every waiting job started after the restart began.
        for (long id : waiting) {
            JobView job = jobs.get(id);
            assertThat(job.startedAt()).as("job %d started at %s, restart at %s", id, job.startedAt(), restartAt)
                    .isAfterOrEqualTo(restartAt);
            assertThat(job.state()).as("waiting job %d: %s", id, job.error()).isEqualTo(JobState.PASSED);
        }
        int passedInFlight = 0;
        int failedInFlight = 0;
        for (long id : inFlight) {
            JobView job = jobs.get(id);
            if (job.state() == JobState.PASSED) {
                passedInFlight++;
            } else {
                failedInFlight++;
                assertThat(job.state()).as("job %d", id).isEqualTo(JobState.FAILED);
                assertThat(job.error().code()).as("job %d: %s", id, job.error()).isEqualTo(FailureCode.DATABASE_ERROR.name());
            }
        }
        // Never PASSED without its records: serial, every phase up to LEAVE, a JOB_PASSED audit record.
        List<AuditRecord> audit = auditLog.after(seqBefore, AuditLog.MAX_PAGE).records();
        Set<String> serials = new HashSet<>();
        for (JobView job : done) {
            List<AuditRecord> ends = audit.stream().filter(r -> job.id() == (r.jobId() == null ? -1 : r.jobId()))
                    .filter(r -> r.type() == AuditType.JOB_PASSED || r.type() == AuditType.JOB_FAILED).toList();
            assertThat(ends).as("outcome records of job %d", job.id()).hasSize(1);
            if (job.state() == JobState.PASSED) {
                assertThat(ends.get(0).type()).isEqualTo(AuditType.JOB_PASSED);
                assertThat(ends.get(0).serialNumber()).isEqualTo(job.serialNumber()).isNotNull();
                assertThat(job.phases()).extracting(JobView.PhaseTiming::name).contains(Phase.SERIALIZE, Phase.LEAVE);
                assertThat(serials.add(job.serialNumber())).as("serial %s unique", job.serialNumber()).isTrue();
            } else {
                assertThat(ends.get(0).type()).isEqualTo(AuditType.JOB_FAILED);
                assertThat(ends.get(0).errorCode()).isEqualTo(FailureCode.DATABASE_ERROR.name());
            }
        }
        assertThat(verifier.verify().valid()).isTrue();
        // After the outage the station works as before: a board flashed again on a failed port passes.
        if (failedInFlight > 0) {
            String port = jobs.get(inFlight.stream().filter(id -> jobs.get(id).state() == JobState.FAILED)
                    .findFirst().orElseThrow()).port();
            fixture.unplug(port);
            fixture.plug(port);
            JobView again = simulated.awaitFinal(jobs.enqueue(port, recipe, TESTER).id());
            assertThat(again.state()).as("re-flashed on %s: %s", port, again.error()).isEqualTo(JobState.PASSED);
        }

        System.out.printf("[row 2] PostgreSQL away %d ms (stop to accepting again) with %d jobs in flight and %d"
                + " waiting: health DOWN %d ms after the stop; in flight: %d PASSED, %d FAILED DATABASE_ERROR;"
                + " waiting: %d PASSED, none started while away; first job started %d ms after the return"
                + " (limit %d ms); audit chain valid%n", awayMs, inFlight.size(), waiting.size(), downSeenMs,
                passedInFlight, failedInFlight, waiting.size(), firstStartMs, BACK_WITHIN.toMillis());
    }

    private int health() throws Exception {
        return mvc.perform(get("/actuator/health")).andReturn().getResponse().getStatus();
    }
}
