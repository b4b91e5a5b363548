package com.flashline.worker;

import static com.flashline.support.Fixtures.TESTER;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.catalog.CreateRecipeRequest;
import com.flashline.catalog.Firmware;
import com.flashline.catalog.Recipe;
import com.flashline.catalog.RecipeService;
import com.flashline.device.SimulatedFixture;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.flashing.EraseMode;
import com.flashline.job.JobService;
import com.flashline.job.JobState;
import com.flashline.job.JobView;
import com.flashline.sim.FaultPlan;
import com.flashline.sim.NoProtocolViolations;
import com.flashline.sim.SimulatedStm32;
import com.flashline.station.PortService;
import com.flashline.station.PortState;
import com.flashline.station.StationService;
import com.flashline.station.UpdateStationRequest;
import com.flashline.support.Fixtures;
import com.flashline.support.GatedClock;
import com.flashline.support.SimulatedStation;
import com.flashline.support.SimulatedStationTest;
import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The whole station on the simulated fixture: REST and auto-start queue jobs, the worker pool runs
 * the real pipeline against simulated STM32F407 ROMs at datasheet timing (on a virtual clock), and
 * the test checks the boards' flash, the job records, the ports and the audit log.
 */
@SimulatedStationTest
class FlashingStationTest {

    private static final long FLASH = 0x0800_0000L;
    private static final long SERIAL_ADDRESS = 0x080F_FF00L;
    private static final String SERIAL_FORMAT = "FL-{seq:06d}";
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    SimulatedFixture fixture;
    @Autowired
    GatedClock clock;
    @Autowired
    JobService jobs;
    @Autowired
    PortService ports;
    @Autowired
    StationService station;
    @Autowired
    RecipeService recipes;
    @Autowired
    AuditLog auditLog;
    @Autowired
    MockMvc mvc;
    @Autowired
    SimulatedStation simulated;

    /**
     * Every board still on a port after a test, failed, retried and cancelled jobs included, saw
     * no protocol violation (asked after the test, before the next one empties the fixture).
     */
    @RegisterExtension
    final NoProtocolViolations protocol = new NoProtocolViolations(
            () -> fixture.ports().stream().map(fixture::board).flatMap(Optional::stream).toList());

    /** Ports are shared by the tests of this context: each test looks only at its own jobs. */
    private final Instant startedAt = Instant.now();

    @BeforeEach
    void emptyFixture() {
        simulated.reset();
    }

    @AfterEach
    void openGate() {
        clock.open();
    }

    // ------------------------------------------------------------------ the happy path, at scale

    @Test
    void eightBoardsAreFlashedAtOnceAndEveryByteIsInTheirFlash() throws Exception {
        byte[] image = applicationImage(40 * 1024, 1);
        Firmware firmware = upload(image);
        Recipe recipe = recipe(firmware, new CreateRecipeRequest.Serial(SERIAL_ADDRESS, SERIAL_FORMAT, 1L, 16), false);

        List<SimulatedStm32> boards = new ArrayList<>();
        List<Long> jobIds = new ArrayList<>();
        for (String port : fixture.ports()) {
            boards.add(fixture.plug(port));
        }
        for (String port : fixture.ports()) {
            jobIds.add(jobs.enqueue(port, recipe.id(), TESTER).id());
        }
        List<JobView> done = jobIds.stream().map(this::awaitFinal).toList();

        Set<String> serials = new HashSet<>();
        for (int i = 0; i < boards.size(); i++) {
            SimulatedStm32 board = boards.get(i);
            JobView job = done.get(i);
            assertThat(job.state()).as("job on %s: %s", job.port(), job.error()).isEqualTo(JobState.PASSED);
            assertThat(job.attempt()).isEqualTo(1);
            assertThat(board.memory(FLASH, image.length)).as("flash of the board on %s", job.port()).isEqualTo(image);
            assertThat(board.memory(SERIAL_ADDRESS, 16)).isEqualTo(serialRecord(job.serialNumber()));
            assertThat(board.violations()).as("protocol violations on %s", job.port()).isEmpty();
            assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.APPLICATION);
            assertThat(job.usbSerial()).isEqualTo(board.serialNumber());
            assertThat(sameUid(job.uid(), board)).as("job UID %s is the board's", job.uid()).isTrue();
            // the simulated F407 ROMs hold an early GETSTATUS, as the ROM table says of the F4
            assertThat(job.pollPolicy()).isEqualTo("HELD_STATUS");
            serials.add(job.serialNumber());
        }
        assertThat(serials).as("distinct serial numbers").hasSize(8).allMatch(s -> s.matches("FL-\\d{6}"));

        String metrics = mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(metrics).contains("flashline_job_phase_duration_seconds_count{phase=\"WRITE\"}",
                "flashline_bytes_written_bytes_total", "flashline_bytes_verified_bytes_total",
                "flashline_jobs_queue_depth", "flashline_jobs_active", "flashline_devices_attached",
                "flashline_jobs_finished_total{code=\"NONE\",outcome=\"PASSED\"}");
        assertThat(counter(metrics, "flashline_bytes_written_bytes_total")).isGreaterThanOrEqualTo(8.0 * image.length);
    }

    @Test
    void aPassedJobIsAuditedWithStationPortBoardSerialAndFirmware() {
        Firmware firmware = upload(applicationImage(4096, 2));
        Recipe recipe = recipe(firmware, new CreateRecipeRequest.Serial(SERIAL_ADDRESS, SERIAL_FORMAT, 500L, 16), false);
        String port = fixture.ports().get(2);
        SimulatedStm32 board = fixture.plug(port);

        JobView job = awaitFinal(jobs.enqueue(port, recipe.id(), TESTER).id());

        assertThat(job.state()).isEqualTo(JobState.PASSED);
        AuditRecord passed = auditLog.after(0, AuditLog.MAX_PAGE).records().stream()
                .filter(r -> r.type() == AuditType.JOB_PASSED && Long.valueOf(job.id()).equals(r.jobId()))
                .findFirst().orElseThrow();
        assertThat(passed.stationId()).isEqualTo("test-station");
        assertThat(passed.port()).isEqualTo(port);
        assertThat(passed.usbSerial()).isEqualTo(board.serialNumber());
        assertThat(sameUid(passed.chipUid(), board)).isTrue();
        assertThat(passed.serialNumber()).isEqualTo(job.serialNumber()).isEqualTo("FL-000500");
        assertThat(passed.firmwareSha256()).isEqualTo(firmware.sha256());
        assertThat(passed.result()).isEqualTo("PASSED");
    }

    // ------------------------------------------------------------------ failures

    @Test
    void aReadbackThatDiffersFailsTheJobWithTheFirstMismatchAddress() {
        byte[] image = applicationImage(8192, 3);
        Recipe recipe = recipe(upload(image), null, false);
        String port = fixture.ports().get(0);
        long bad = FLASH + 0x1234;
        SimulatedStm32 board = fixture.plug(port, b -> b.faults(FaultPlan.none().corruptReadback(bad, bad + 3, 0x40)));

        JobView job = awaitFinal(jobs.enqueue(port, recipe.id(), TESTER).id());

        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.error().code()).isEqualTo("VERIFY_MISMATCH");
        assertThat(job.error().firstMismatchAddress()).isEqualTo(bad);
        assertThat(job.serialNumber()).isNull();
        assertThat(board.memory(FLASH, image.length)).as("flash itself is right; the read-back lied").isEqualTo(image);
        assertThat(ports.get(port).state()).isEqualTo(PortState.FAILED);
        assertThat(ports.get(port).reason()).isEqualTo("VERIFY_MISMATCH");
    }

    @Test
    void aBoardPulledDuringTheWriteFailsWithDeviceGoneAndTheNextBoardPasses() {
        byte[] image = applicationImage(48 * 1024, 4);
        Recipe recipe = recipe(upload(image), null, false);
        String port = fixture.ports().get(1);
        fixture.plug(port, b -> b.faults(FaultPlan.none().disconnectOnWrite(FLASH + 0x8000)));

        JobView gone = awaitFinal(jobs.enqueue(port, recipe.id(), TESTER).id());

        assertThat(gone.state()).isEqualTo(JobState.FAILED);
        assertThat(gone.error().code()).isEqualTo("DEVICE_GONE");
        assertThat(gone.attempt()).as("DEVICE_GONE is final").isEqualTo(1);
        assertThat(gone.phase()).isEqualTo(com.flashline.flashing.Phase.WRITE);

        SimulatedStm32 next = fixture.plug(port);
        JobView passed = awaitFinal(jobs.enqueue(port, recipe.id(), TESTER).id());
        assertThat(passed.state()).isEqualTo(JobState.PASSED);
        assertThat(next.memory(FLASH, image.length)).isEqualTo(image);
    }

    @Test
    void aReadProtectedBoardFailsUnlessTheRecipeAllowsUnprotect() {
        byte[] image = applicationImage(8192, 5);
        Firmware firmware = upload(image);
        String port = fixture.ports().get(3);

        SimulatedStm32 locked = fixture.plug(port, b -> b.readProtected(true));
        JobView refused = awaitFinal(jobs.enqueue(port, recipe(firmware, null, false).id(), TESTER).id());
        assertThat(refused.state()).isEqualTo(JobState.FAILED);
        assertThat(refused.error().code()).isEqualTo("READ_PROTECTED");
        assertThat(locked.readProtected()).as("nothing was done to the board").isTrue();

        SimulatedStm32 unlocked = fixture.plug(port, b -> b.readProtected(true));
        JobView passed = awaitFinal(jobs.enqueue(port, recipe(firmware, null, true).id(), TESTER).id());
        assertThat(passed.state()).as("%s", passed.error()).isEqualTo(JobState.PASSED);
        assertThat(unlocked.readProtected()).isFalse();
        assertThat(unlocked.memory(FLASH, image.length)).isEqualTo(image);
        assertThat(unlocked.enumerationCount()).as("the unprotect reset it once").isGreaterThanOrEqualTo(2);
        assertThat(unlocked.violations()).isEmpty();
    }

    @Test
    void aTransientErrorIsRetriedAndTheSecondAttemptPasses() {
        byte[] image = applicationImage(8192, 6);
        Recipe recipe = recipe(upload(image), null, false);
        String port = fixture.ports().get(4);
        SimulatedStm32 board = fixture.plug(port,
                b -> b.faults(FaultPlan.none().errorStatusOnNextWriteOrErase(DfuStatusCode.ERR_ERASE)));

        JobView job = awaitFinal(jobs.enqueue(port, recipe.id(), TESTER).id());

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.PASSED);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.phases()).anyMatch(p -> p.attempt() == 1).anyMatch(p -> p.attempt() == 2);
        assertThat(board.faults().fired()).hasSize(1);
        assertThat(board.memory(FLASH, image.length)).isEqualTo(image);
    }

    @Test
    void aJobCancelledOverRestWhileItRunsEndsCancelled() throws Exception {
        Recipe recipe = recipe(upload(applicationImage(16 * 1024, 7)), null, false);
        String port = fixture.ports().get(5);
        fixture.plug(port);
        clock.close();

        String body = mvc.perform(post("/api/v1/jobs").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"port\":\"" + port + "\",\"recipeId\":" + recipe.id() + "}"))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long id = ((Number) JsonPath.read(body, "$.id")).longValue();
        await().atMost(JOB_TIMEOUT).until(() -> jobs.get(id).state() == JobState.RUNNING && clock.waiting() > 0);

        mvc.perform(post("/api/v1/jobs/{id}/cancel", id).with(csrf())).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.cancelRequested").value(true));
        clock.open();

        JobView job = awaitFinal(id);
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(ports.get(port).state()).isEqualTo(PortState.DONE_WAITING_REMOVAL);
    }

    // ------------------------------------------------------------------ not twice

    @Test
    void aPassedBoardThatComesBackWithoutBeingRemovedIsNotFlashedAgain() throws Exception {
        Recipe recipe = recipe(upload(applicationImage(4096, 8)), null, false);
        station.update(new UpdateStationRequest(recipe.id(), true), TESTER);
        String port = fixture.ports().get(6);

        SimulatedStm32 board = fixture.plug(port);
        JobView first = awaitOnlyJob(port, 1);
        assertThat(first.state()).isEqualTo(JobState.PASSED);
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.APPLICATION);

        board.plugIn(); // its application jumps back into the bootloader: same board, never removed

        assertThat(jobsOn(port)).hasSize(1);
        assertThat(ports.get(port).state()).isEqualTo(PortState.DONE_WAITING_REMOVAL);
        mvc.perform(get("/api/v1/ports/{path}", port))
                .andExpect(jsonPath("$.state").value("DONE_WAITING_REMOVAL"))
                .andExpect(jsonPath("$.reason").value(org.hamcrest.Matchers.containsString(
                        "passed job " + first.id() + " on this port and came back without being removed")));

        fixture.unplug(port);
        SimulatedStm32 next = fixture.plug(port);
        JobView second = awaitOnlyJob(port, 2);
        assertThat(second.state()).isEqualTo(JobState.PASSED);
        assertThat(second.usbSerial()).isEqualTo(next.serialNumber()).isNotEqualTo(board.serialNumber());
    }

    @Test
    void aBoardThatResetsIntoTheBootloaderAfterLeaveIsFlashedOnce() {
        // No valid vector table at the start of flash: Leave resets the chip into the ROM again.
        byte[] image = new byte[4096];
        new Random(9).nextBytes(image);
        Arrays.fill(image, 0, 8, (byte) 0xFF);
        Recipe recipe = recipe(upload(image), null, false);
        station.update(new UpdateStationRequest(recipe.id(), true), TESTER);
        String port = fixture.ports().get(7);

        SimulatedStm32 board = fixture.plug(port);
        JobView job = awaitOnlyJob(port, 1);

        assertThat(job.state()).isEqualTo(JobState.PASSED);
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.BOOTLOADER);
        assertThat(board.enumerationCount()).isEqualTo(2);
        await().atMost(JOB_TIMEOUT)
                .until(() -> ports.get(port).state() == PortState.DONE_WAITING_REMOVAL);
        assertThat(jobsOn(port)).hasSize(1);
    }

    // ------------------------------------------------------------------ serial numbers

    @Test
    void theSameChipFlashedAgainKeepsItsSerialNumber() {
        Recipe recipe = recipe(upload(applicationImage(4096, 10)),
                new CreateRecipeRequest.Serial(SERIAL_ADDRESS, SERIAL_FORMAT, 1L, 16), false);
        String port = fixture.ports().get(0);
        byte[] uid = HexFormat.of().parseHex("1a002b00" + "0c51333437" + "363530");

        fixture.plug(port, b -> b.uniqueId(uid));
        JobView first = awaitFinal(jobs.enqueue(port, recipe.id(), TESTER).id());
        fixture.plug(port, b -> b.uniqueId(uid)); // the same chip, back on the fixture later
        SimulatedStm32 again = fixture.board(port).orElseThrow();
        JobView second = awaitFinal(jobs.enqueue(port, recipe.id(), TESTER).id());
        SimulatedStm32 other = fixture.plug(port);
        JobView third = awaitFinal(jobs.enqueue(port, recipe.id(), TESTER).id());

        assertThat(List.of(first.state(), second.state(), third.state())).containsOnly(JobState.PASSED);
        assertThat(second.serialNumber()).isEqualTo(first.serialNumber());
        assertThat(again.memory(SERIAL_ADDRESS, 16)).isEqualTo(serialRecord(first.serialNumber()));
        assertThat(third.serialNumber()).isNotEqualTo(first.serialNumber());
        assertThat(other.memory(SERIAL_ADDRESS, 16)).isEqualTo(serialRecord(third.serialNumber()));
    }

    // ------------------------------------------------------------------ helpers

    private JobView awaitFinal(long jobId) {
        return simulated.awaitFinal(jobId);
    }

    /** Waits until {@code port} has {@code count} jobs and the newest is final. */
    private JobView awaitOnlyJob(String port, int count) {
        return simulated.awaitOnlyJob(port, count, startedAt);
    }

    private List<JobView> jobsOn(String port) {
        return simulated.jobsOn(port, startedAt);
    }

    private Firmware upload(byte[] image) {
        return simulated.upload(image);
    }

    private Recipe recipe(Firmware firmware, CreateRecipeRequest.Serial serial, boolean allowUnprotect) {
        return recipes.create(new CreateRecipeRequest(Fixtures.unique("recipe"), firmware.id(), EraseMode.SECTORS,
                true, serial, null, allowUnprotect, true), TESTER);
    }

    private static byte[] applicationImage(int size, long seed) {
        return SimulatedStation.applicationImage(size, seed);
    }

    private static byte[] serialRecord(String text) {
        return Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), 16);
    }

    /** The job records the UID as hex; the pipeline may list the bytes in memory order or as one number. */
    private static boolean sameUid(String hex, SimulatedStm32 board) {
        byte[] uid = board.uniqueId();
        byte[] reversed = new byte[uid.length];
        for (int i = 0; i < uid.length; i++) {
            reversed[i] = uid[uid.length - 1 - i];
        }
        return hex != null && (hex.equalsIgnoreCase(HexFormat.of().formatHex(uid))
                || hex.equalsIgnoreCase(HexFormat.of().formatHex(reversed)));
    }

    private static double counter(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
