package com.flashline.worker;

import static com.flashline.support.Fixtures.TESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.flashline.catalog.CreateRecipeRequest;
import com.flashline.catalog.RecipeService;
import com.flashline.device.SimulatedFixture;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.flashing.EraseMode;
import com.flashline.flashing.Phase;
import com.flashline.job.JobService;
import com.flashline.job.JobState;
import com.flashline.job.JobView;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.FaultPlan;
import com.flashline.support.CommitCounter;
import com.flashline.support.SimulatedStation;
import com.flashline.support.SimulatedStationTest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * How many transactions one job commits, from its enqueue to its outcome, on an H2 file database
 * with the service's own URL settings ({@code WRITE_DELAY=0}): every commit that changed something
 * writes a new chunk to the file, so the count is what a busy line pays in file growth and in H2's
 * free-space search (docs/reliability.md, the soak). Prints the breakdown and H2's own count of
 * file writes.
 */
@SimulatedStationTest
@Import(CommitCounter.Setup.class)
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:file:./target/commits-per-job/${random.uuid}"
        + ";LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64;WRITE_DELAY=0")
class CommitsPerJobTest {

    private static final long SERIAL_ADDRESS = SimulatedStation.FLASH + 16 * 1024 - 256;

    @Autowired
    CommitCounter counter;
    @Autowired
    SimulatedFixture fixture;
    @Autowired
    SimulatedStation simulated;
    @Autowired
    JobService jobs;
    @Autowired
    RecipeService recipes;
    @Autowired
    WorkerPool workers;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void emptyFixture() {
        simulated.reset();
    }

    /**
     * The soak's job (docs/reliability.md): sector erase, verify, a serial record, leave — seven
     * phases. Queued, started, each phase entered (with the timing of the one before), the chip
     * identified, its serial number allocated, the outcome (with the last phase's timing).
     */
    @Test
    void aPassingSerialisingJobCommitsOncePerPhaseAndFiveTimesMore() {
        long recipe = recipe(new CreateRecipeRequest.Serial(SERIAL_ADDRESS, "SOAK-{seq:08d}", 1L, 16), null, false);
        String port = fixture.ports().get(0);
        fixture.plug(port);

        JobView job = runCounted(port, recipe);

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.PASSED);
        assertThat(job.phases()).as("every phase's timing, in order").extracting(JobView.PhaseTiming::name)
                .containsExactly(Phase.CONNECT, Phase.IDENTIFY, Phase.ERASE, Phase.WRITE, Phase.VERIFY,
                        Phase.SERIALIZE, Phase.LEAVE);
        assertThat(job.pollPolicy()).isNotNull();
        assertThat(job.uid()).isNotNull();
        // enqueue, start, 7 phases entered, identification, serial number, outcome
        assertThat(counter.writingCommits()).as(breakdown()).hasSize(12);
    }

    /**
     * Every phase: a read-protected chip (UNPROTECT, after which the chip is identified again with
     * the UID it now shows), a serial record, option bytes, leave.
     */
    @Test
    void aJobThroughEveryPhaseCommitsOncePerPhaseAndSixTimesMore() {
        ChipProfile.OptionBlock block = ChipProfile.STM32F407.optionBytes().first();
        byte[] options = block.factoryDefaults();
        options[2] ^= 0x01; // a user option bit, never the read-protection byte
        long recipe = recipe(new CreateRecipeRequest.Serial(SERIAL_ADDRESS, "ALL-{seq:08d}", 1L, 16),
                new CreateRecipeRequest.OptionBytesRequest(block.base(), HexFormat.of().formatHex(options)), true);
        String port = fixture.ports().get(1);
        fixture.plug(port, b -> b.readProtected(true));

        JobView job = runCounted(port, recipe);

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.PASSED);
        assertThat(job.phases()).extracting(JobView.PhaseTiming::name).containsExactly(Phase.values());
        // enqueue, start, 9 phases entered, identification twice, serial number, outcome
        assertThat(counter.writingCommits()).as(breakdown()).hasSize(15);
    }

    /**
     * A job that fails in VERIFY keeps the timing of every phase it finished (the last one written
     * with VERIFY's entry); its outcome makes the port's interlock count it, in a commit of its own.
     */
    @Test
    void aJobFailingInVerifyKeepsTheTimingOfEveryPhaseItFinished() {
        long recipe = recipe(null, null, false);
        String port = fixture.ports().get(2);
        long bad = SimulatedStation.FLASH + 0x1234;
        fixture.plug(port, b -> b.faults(FaultPlan.none().corruptReadback(bad, bad + 3, 0x40)));

        JobView job = runCounted(port, recipe);

        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error().code()).isEqualTo("VERIFY_MISMATCH");
        assertThat(job.phase()).isEqualTo(Phase.VERIFY);
        assertThat(job.phases()).extracting(JobView.PhaseTiming::name)
                .containsExactly(Phase.CONNECT, Phase.IDENTIFY, Phase.ERASE, Phase.WRITE);
        // enqueue, start, 5 phases entered, identification, outcome, the port interlock's count
        assertThat(counter.writingCommits()).as(breakdown()).hasSize(10);
    }

    /** A transient error, then a second attempt that passes: both attempts' timings are kept. */
    @Test
    void aRetriedJobKeepsTheTimingsOfBothAttempts() {
        long recipe = recipe(null, null, false);
        String port = fixture.ports().get(3);
        fixture.plug(port, b -> b.faults(FaultPlan.none().errorStatusOnNextWriteOrErase(DfuStatusCode.ERR_ERASE)));

        JobView job = runCounted(port, recipe);

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.PASSED);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.phases()).extracting(timing -> timing.attempt() + " " + timing.name()).containsExactly(
                "1 CONNECT", "1 IDENTIFY", "1 ERASE",
                "2 CONNECT", "2 IDENTIFY", "2 ERASE", "2 WRITE", "2 VERIFY", "2 LEAVE");
        // enqueue; per attempt its start, the phases it entered and the identification; outcome
        assertThat(counter.writingCommits()).as(breakdown()).hasSize(1 + (1 + 4 + 1) + (1 + 6 + 1) + 1);
    }

    private JobView runCounted(String port, long recipe) {
        long writesBefore = fileWrites();
        counter.clear();
        long id = jobs.enqueue(port, recipe, TESTER).id();
        JobView job = simulated.awaitFinal(id);
        // The worker announces the outcome after its commit; its listeners may still write.
        await().atMost(SimulatedStation.JOB_TIMEOUT).until(() -> workers.activeJobs() == 0);
        long fileWrites = fileWrites() - writesBefore;
        List<CommitCounter.Commit> writing = counter.writingCommits();
        System.out.printf("job %d %s: %d commits that wrote, %d read-only; H2 file writes %d%n%s", id,
                job.state(), writing.size(), counter.commits().size() - writing.size(), fileWrites, breakdown());
        counter.commits().stream().filter(commit -> !commit.writes()).forEach(commit ->
                System.out.printf("  read-only %-16s %s%n", commit.thread(), commit.summary()));
        return job;
    }

    private String breakdown() {
        StringBuilder lines = new StringBuilder();
        List<CommitCounter.Commit> writing = counter.writingCommits();
        for (int i = 0; i < writing.size(); i++) {
            CommitCounter.Commit commit = writing.get(i);
            lines.append(String.format("  %2d %-16s %s%n", i + 1, commit.thread(), commit.summary()));
        }
        return lines.toString();
    }

    /** H2's count of writes to the database file (one per chunk, plus the occasional header). */
    private long fileWrites() {
        return Long.parseLong(jdbc.queryForObject(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.FILE_WRITE'",
                String.class));
    }

    private long recipe(CreateRecipeRequest.Serial serial, CreateRecipeRequest.OptionBytesRequest optionBytes,
            boolean allowUnprotect) {
        byte[] image = SimulatedStation.applicationImage(16 * 1024 - 256, 17);
        return recipes.create(new CreateRecipeRequest(com.flashline.support.Fixtures.unique("recipe"),
                simulated.upload(image).id(), EraseMode.SECTORS, true, serial, optionBytes, allowUnprotect, true),
                TESTER).id();
    }
}
