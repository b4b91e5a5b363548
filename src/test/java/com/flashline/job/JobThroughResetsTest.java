package com.flashline.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.catalog.CreateRecipeRequest;
import com.flashline.catalog.Firmware;
import com.flashline.catalog.Recipe;
import com.flashline.catalog.RecipeService;
import com.flashline.device.SimulatedFixture;
import com.flashline.flashing.EraseMode;
import com.flashline.flashing.Phase;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.DisconnectReason;
import com.flashline.sim.FlashWork;
import com.flashline.sim.SimulatedStm32;
import com.flashline.station.PortService;
import com.flashline.station.PortState;
import com.flashline.station.StationService;
import com.flashline.station.UpdateStationRequest;
import com.flashline.support.Fixtures;
import com.flashline.support.SimulatedStation;
import com.flashline.support.SimulatedStationTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Read Unprotect and an option-byte write reset the chip, which leaves its port and enumerates
 * there again. On a station with auto-start, the job that caused the reset waits for the same chip
 * and finishes as one job: the board is flashed once and counts once; a board that does not come
 * back, or another chip that comes instead, fails the job with its own code and leaves the port
 * ready for the next board.
 */
@SimulatedStationTest
class JobThroughResetsTest {

    private static final long FLASH = SimulatedStation.FLASH;
    private static final int IMAGE_LENGTH = 8192;
    private static final ChipProfile.OptionBlock OPTION_BLOCK = ChipProfile.STM32F407.optionBytes().first();

    @Autowired
    SimulatedStation simulated;
    @Autowired
    SimulatedFixture fixture;
    @Autowired
    PortService ports;
    @Autowired
    PassedBoardLatch latch;
    @Autowired
    StationService station;
    @Autowired
    RecipeService recipes;
    @Autowired
    MeterRegistry meters;

    private final Instant startedAt = Instant.now();

    @BeforeEach
    void emptyFixture() {
        simulated.reset();
    }

    @AfterEach
    void autoStartOff() {
        station.update(new UpdateStationRequest(null, false), Fixtures.TESTER);
    }

    @Test
    void aReadProtectedBoardIsUnprotectedAndFlashedInOneJobThatCountsOnce() {
        byte[] image = applicationImage(21);
        autoStart(recipe(image, null, true));
        String port = fixture.ports().get(0);
        double passedBefore = finished("PASSED");
        double allBefore = finished(null);

        SimulatedStm32 board = fixture.plug(port, b -> b.readProtected(true));
        JobView job = awaitOnlyJob(port);

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.PASSED);
        assertThat(job.phases()).extracting(JobView.PhaseTiming::name).containsExactly(Phase.CONNECT, Phase.IDENTIFY,
                Phase.UNPROTECT, Phase.ERASE, Phase.WRITE, Phase.VERIFY, Phase.LEAVE);
        assertThat(job.uid()).as("read once the chip was unprotected")
                .isEqualTo(HexFormat.of().withUpperCase().formatHex(board.uniqueId()));
        assertThat(board.readProtected()).isFalse();
        assertThat(board.memory(FLASH, image.length)).isEqualTo(image);
        assertThat(board.flashWork()).as("the ROM's unprotect erased it; written once, nothing erased again")
                .isEqualTo(new FlashWork(0, image.length));
        assertThat(board.enumerationCount()).isEqualTo(2);
        assertThat(finished("PASSED") - passedBefore).as("boards passed").isEqualTo(1.0);
        assertThat(finished(null) - allBefore).as("jobs finished").isEqualTo(1.0);
        assertThat(jobsOn(port)).hasSize(1);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void optionBytesAreWrittenAfterVerifyAndReadBackInOneJobThatCountsOnce() {
        byte[] image = applicationImage(22);
        byte[] options = changedOptions();
        autoStart(recipe(image, options, false));
        String port = fixture.ports().get(1);
        double passedBefore = finished("PASSED");
        double allBefore = finished(null);

        SimulatedStm32 board = fixture.plug(port);
        JobView job = awaitOnlyJob(port);

        assertThat(job.state()).as("%s", job.error()).isEqualTo(JobState.PASSED);
        assertThat(job.phases()).extracting(JobView.PhaseTiming::name).containsExactly(Phase.CONNECT, Phase.IDENTIFY,
                Phase.ERASE, Phase.WRITE, Phase.VERIFY, Phase.OPTION_BYTES, Phase.LEAVE);
        assertThat(board.memory(OPTION_BLOCK.base(), options.length)).isEqualTo(options);
        assertThat(board.memory(FLASH, image.length)).isEqualTo(image);
        assertThat(board.flashWork()).as("a blank board's sector needs no erase; the image written once")
                .isEqualTo(new FlashWork(0, image.length));
        assertThat(board.enumerationCount()).isEqualTo(2);
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.APPLICATION);
        assertThat(finished("PASSED") - passedBefore).as("boards passed").isEqualTo(1.0);
        assertThat(finished(null) - allBefore).as("jobs finished").isEqualTo(1.0);
        assertThat(jobsOn(port)).hasSize(1);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aBoardThatDoesNotComeBackFailsItsJobAndTheNextBoardOnThePortIsFlashed() {
        byte[] image = applicationImage(23);
        autoStart(recipe(image, null, true));
        String port = fixture.ports().get(2);

        // The board is lifted off the nest while it resets: it never enumerates there again.
        SimulatedStm32 lifted = fixture.plug(port, b -> b.readProtected(true));
        onReset(lifted, DisconnectReason.READ_UNPROTECT, () -> fixture.unplug(port));
        JobView failed = awaitOnlyJob(port);

        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error().code()).isEqualTo("DEVICE_NOT_BACK");
        assertThat(failed.phase()).isEqualTo(Phase.UNPROTECT);
        assertThat(failed.attempt()).as("not retried").isEqualTo(1);
        assertThat(ports.get(port).state()).isEqualTo(PortState.EMPTY);
        assertThat(ports.get(port).currentJobId()).isNull();
        assertThat(latch.latched(port)).isFalse();

        SimulatedStm32 next = fixture.plug(port, b -> b.readProtected(true));
        assertThat(simulated.awaitOnlyJob(port, 2, startedAt).state()).isEqualTo(JobState.PASSED);
        assertThat(next.memory(FLASH, image.length)).isEqualTo(image);
    }

    @Test
    void anotherChipOnThePortAfterTheResetFailsTheJobWithDeviceChanged() {
        byte[] image = applicationImage(24);
        autoStart(recipe(image, changedOptions(), false));
        String port = fixture.ports().get(3);
        SimulatedStm32[] swapped = new SimulatedStm32[1];

        // Someone swaps the board while its option bytes reset it.
        SimulatedStm32 first = fixture.plug(port);
        onReset(first, DisconnectReason.OPTION_BYTES_WRITTEN, () -> swapped[0] = fixture.plug(port));
        JobView failed = awaitOnlyJob(port);

        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.error().code()).isEqualTo("DEVICE_CHANGED");
        assertThat(failed.phase()).isEqualTo(Phase.OPTION_BYTES);
        assertThat(failed.error().message()).contains(HexFormat.of().withUpperCase().formatHex(first.uniqueId()));
        assertThat(swapped[0].flashWork()).as("nothing was done to the other board").isEqualTo(new FlashWork(0, 0));
        assertThat(ports.get(port).state()).isEqualTo(PortState.FAILED);
        assertThat(ports.get(port).currentJobId()).isNull();
        assertThat(latch.latched(port)).isFalse();
        assertThat(jobsOn(port)).hasSize(1);
    }

    // ------------------------------------------------------------------ helpers

    /** Runs {@code action} on the job's thread when {@code board} drops off the bus for {@code reason}. */
    private static void onReset(SimulatedStm32 board, DisconnectReason reason, Runnable action) {
        board.addListener(new SimulatedStm32.Listener() {
            @Override
            public void disconnected(DisconnectReason why) {
                if (why == reason) {
                    action.run();
                }
            }
        });
    }

    private void autoStart(Recipe recipe) {
        station.update(new UpdateStationRequest(recipe.id(), true), Fixtures.TESTER);
    }

    private JobView awaitOnlyJob(String port) {
        return simulated.awaitOnlyJob(port, 1, startedAt);
    }

    private List<JobView> jobsOn(String port) {
        return simulated.jobsOn(port, startedAt);
    }

    /** Jobs finished so far with {@code outcome} (any when null), as the metrics count them. */
    private double finished(String outcome) {
        return meters.find("flashline.jobs.finished").counters().stream()
                .filter(c -> outcome == null || outcome.equals(c.getId().getTag("outcome")))
                .mapToDouble(Counter::count).sum();
    }

    private Recipe recipe(byte[] image, byte[] optionBytes, boolean allowUnprotect) {
        Firmware firmware = simulated.upload(image);
        CreateRecipeRequest.OptionBytesRequest options = optionBytes == null ? null
                : new CreateRecipeRequest.OptionBytesRequest(OPTION_BLOCK.base(), HexFormat.of().formatHex(optionBytes));
        return recipes.create(new CreateRecipeRequest(Fixtures.unique("recipe"), firmware.id(), EraseMode.SECTORS,
                true, null, options, allowUnprotect, true), Fixtures.TESTER);
    }

    private static byte[] changedOptions() {
        byte[] options = OPTION_BLOCK.factoryDefaults();
        options[2] ^= 0x01; // a user option bit, never the read-protection byte
        return options;
    }

    private static byte[] applicationImage(long seed) {
        return SimulatedStation.applicationImage(IMAGE_LENGTH, seed);
    }
}
