package com.flashline.reliability;

import static com.flashline.support.Fixtures.TESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.flashline.FlashLineApplication;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.audit.AuditVerifier;
import com.flashline.catalog.CreateRecipeRequest;
import com.flashline.catalog.FirmwareCatalog;
import com.flashline.catalog.RecipeService;
import com.flashline.device.SimulatedFixture;
import com.flashline.flashing.EraseMode;
import com.flashline.job.JobService;
import com.flashline.job.JobState;
import com.flashline.job.JobView;
import com.flashline.sim.SimulatedStm32;
import com.flashline.support.Fixtures;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.PostgresSpringTest;
import com.flashline.support.SimulatedStation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 16: real jobs on PostgreSQL, two stations on one database flashing at once. Two Spring
 * contexts (as two station processes would be), each with its own simulated 4-port fixture and
 * worker pool, on one PostgreSQL schema, run eight serialised jobs at once with one recipe.
 * Promised: every job PASSED; serial numbers unique across both stations; a chip flashed again
 * (on the other station) keeps its number; the audit cursor returns every record of both
 * stations exactly once, in seq order without a gap, and the chain verifies from either station.
 */
@PostgresSpringTest
@TestPropertySource(properties = {"flashline.simulator.enabled=true", "flashline.simulator.ports=4",
        "flashline.simulator.time-scale=0", "flashline.simulator.plug-at-start=false",
        "flashline.simulator.replace-finished-after=0s", "flashline.workers=4", "flashline.station.id=station-a"})
class TwoStationsFlashingPostgresTest {

    static final long SERIAL_ADDRESS = 0x080F_FF00L;
    static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    @Autowired
    SimulatedFixture fixtureA;
    @Autowired
    JobService jobsA;
    @Autowired
    RecipeService recipes;
    @Autowired
    FirmwareCatalog catalog;
    @Autowired
    AuditLog auditLog;
    @Autowired
    AuditVerifier verifier;
    @Autowired
    Environment environment;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void twoStationsFlashAtOnceWithUniqueIdempotentSerialsAndACompleteAuditCursor() {
        try (ConfigurableApplicationContext stationB = secondStation()) {
            SimulatedFixture fixtureB = stationB.getBean(SimulatedFixture.class);
            JobService jobsB = stationB.getBean(JobService.class);
            long start = lastSeq();
            byte[] image = SimulatedStation.applicationImage(32 * 1024, 2);
            long firmware = catalog.upload(image, Fixtures.unique("two") + ".bin", null, "1.0.0", SimulatedStation.FLASH,
                    TESTER).id();
            long recipe = recipes.create(new CreateRecipeRequest(Fixtures.unique("two-stations"), firmware,
                    EraseMode.SECTORS, true, new CreateRecipeRequest.Serial(SERIAL_ADDRESS, "TS-{seq:06d}", 1L, 16),
                    null, false, true), TESTER).id();

            // Both stations: every port at once.
            Map<Long, JobService> owner = new HashMap<>();
            Map<Long, SimulatedStm32> boards = new HashMap<>();
            for (String port : fixtureA.ports()) {
                SimulatedStm32 board = fixtureA.plug(port);
                long id = jobsA.enqueue(port, recipe, TESTER).id();
                owner.put(id, jobsA);
                boards.put(id, board);
            }
            for (String port : fixtureB.ports()) {
                SimulatedStm32 board = fixtureB.plug(port);
                long id = jobsB.enqueue(port, recipe, TESTER).id();
                owner.put(id, jobsB);
                boards.put(id, board);
            }
            List<JobView> done = new ArrayList<>();
            for (Map.Entry<Long, JobService> job : owner.entrySet()) {
                await().atMost(JOB_TIMEOUT).until(() -> job.getValue().get(job.getKey()).state().terminal());
                done.add(job.getValue().get(job.getKey()));
            }
            for (JobView job : done) {
                assertThat(job.state()).as("job %d on %s of %s: %s", job.id(), job.port(), job.stationId(), job.error())
                        .isEqualTo(JobState.PASSED);
                assertThat(boards.get(job.id()).memory(SimulatedStation.FLASH, image.length)).isEqualTo(image);
            }
            assertThat(done).extracting(JobView::stationId).containsOnly("station-a", "station-b");
            assertThat(done.stream().map(JobView::serialNumber).distinct()).as("serials unique across stations")
                    .hasSize(done.size());

            // The first chip of station A, flashed again on station B, keeps its number.
            JobView first = done.stream().filter(j -> j.stationId().equals("station-a")).findFirst().orElseThrow();
            byte[] uid = boards.get(first.id()).uniqueId();
            String port = fixtureB.ports().get(0);
            fixtureB.unplug(port);
            fixtureB.plug(port, b -> b.uniqueId(uid));
            long againId = jobsB.enqueue(port, recipe, TESTER).id();
            await().atMost(JOB_TIMEOUT).until(() -> jobsB.get(againId).state().terminal());
            JobView again = jobsB.get(againId);
            assertThat(again.state()).as("%s", again.error()).isEqualTo(JobState.PASSED);
            assertThat(again.uid()).isEqualToIgnoringCase(HexFormat.of().formatHex(uid));
            assertThat(again.serialNumber()).isEqualTo(first.serialNumber());

            // The audit cursor, pulled in small pages: every seq once, both stations' job records.
            List<AuditRecord> pulled = new ArrayList<>();
            long cursor = start;
            while (true) {
                var page = auditLog.after(cursor, 5);
                if (page.records().isEmpty()) {
                    break;
                }
                pulled.addAll(page.records());
                cursor = page.next();
            }
            assertThat(pulled).extracting(AuditRecord::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, lastSeq()).boxed().toList());
            Map<String, Long> passedByStation = pulled.stream().filter(r -> r.type() == AuditType.JOB_PASSED)
                    .collect(Collectors.groupingBy(AuditRecord::stationId, Collectors.counting()));
            assertThat(passedByStation).containsEntry("station-a", 4L).containsEntry("station-b", 5L);
            assertThat(verifier.verify().valid()).isTrue();
            assertThat(stationB.getBean(AuditVerifier.class).verify()).isEqualTo(verifier.verify());
            System.out.printf("[two stations] %d jobs at once on 2 stations, then 1 re-flash: all PASSED, %d distinct"
                    + " serials, re-flashed chip kept %s; cursor pulled %d records (seq %d..%d) without gap%n",
                    done.size(), done.size(), first.serialNumber(), pulled.size(), start + 1, lastSeq());
        }
    }

    private long lastSeq() {
        return jdbc.queryForObject("SELECT last_seq FROM audit_head WHERE id = 1", Long.class);
    }

    /** Station B on this test's schema: its own simulated fixture and workers, no web server. */
    private ConfigurableApplicationContext secondStation() {
        return new SpringApplicationBuilder(FlashLineApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                .run("--" + FlashLineSpringTest.ONLY_CLASSPATH_CONFIG,
                        "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                        "--spring.datasource.username=" + environment.getProperty("spring.datasource.username", ""),
                        "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                        "--spring.flyway.schemas=" + environment.getProperty("flashline.test.schema"),
                        "--flashline.station.id=station-b",
                        "--flashline.simulator.enabled=true", "--flashline.simulator.ports=4",
                        "--flashline.simulator.time-scale=0", "--flashline.simulator.plug-at-start=false",
                        "--flashline.simulator.replace-finished-after=0s", "--flashline.workers=4");
    }
}
