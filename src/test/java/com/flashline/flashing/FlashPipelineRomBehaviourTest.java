package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.PollPolicy;
import com.flashline.dfu.VirtualClock;
import com.flashline.error.FailureCode;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.Segment;
import com.flashline.rom.PollPolicyChoice;
import com.flashline.rom.RomTable;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import com.flashline.sim.TimingModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whole jobs against simulated ROMs in their real-ROM timing, with the engine polling as the ROM
 * behaviour table says (or forced spec-literal), on a virtual clock.
 */
class FlashPipelineRomBehaviourTest {

    private static final long FLASH = 0x0800_0000L;
    private static final long H7_BANK_2 = 0x0810_0000L;
    private static final Duration FIXED_AFTER_COMMAND = Duration.ofMillis(100);
    private static final Duration FIXED_AFTER_BLOCK = Duration.ofMillis(104);

    private final VirtualClock clock = new VirtualClock();

    private FlashPipeline pipeline(PollPolicyChoice choice) {
        RomTable roms = RomTable.standard();
        return new FlashPipeline(clock, DfuOptions.DEFAULTS.withPollPolicies(roms.pollPolicies(choice, Map.of())),
                new ChipCatalog(roms));
    }

    private static Duration phase(FlashReport report, Phase phase) {
        return report.phases().stream().filter(p -> p.phase() == phase).map(PhaseTiming::duration)
                .reduce(Duration.ZERO, Duration::plus);
    }

    @Test
    void anF4IsWrittenAtTheChipsOwnSpeedWhenPolledAtOnceAndAtTheReportedOneWhenPolledSpecLiterally() {
        FirmwareImage image = SimFixture.image(new Segment(FLASH, SimFixture.random(64 * 1024, 5)));

        SimulatedStm32 held = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .options(SimOptions.realistic()).seed(1).build();
        FlashReport fast = pipeline(PollPolicyChoice.ROM_TABLE).run(SimFixture.request(image),
                SimFixture.connector(held), FlashListener.NONE, () -> false);
        SimulatedStm32 literal = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .options(SimOptions.realistic()).seed(2).build();
        FlashReport slow = pipeline(PollPolicyChoice.SPEC_LITERAL).run(SimFixture.request(image),
                SimFixture.connector(literal), FlashListener.NONE, () -> false);

        TimingModel model = held.timing();
        Duration abort = model.transferTime(0);
        Duration status = model.transferTime(6);
        Duration block = model.transferTime(2048).plus(status).plus(status);
        Duration program = model.programTime(2048);
        // WRITE after the blank check: ABORT, Set Address Pointer (DNLOAD, two GETSTATUS), 32 blocks
        Duration setAddress = model.transferTime(5).plus(status).plus(status);
        assertThat(fast.pollPolicy()).isEqualTo("HELD_STATUS");
        assertThat(phase(fast, Phase.WRITE)).isEqualTo(abort.plus(setAddress)
                .plus(block.plus(program).multipliedBy(32)));
        assertThat(slow.pollPolicy()).isEqualTo("SPEC_LITERAL");
        assertThat(phase(slow, Phase.WRITE)).isEqualTo(abort.plus(setAddress).plus(FIXED_AFTER_COMMAND)
                .plus(block.plus(FIXED_AFTER_BLOCK).multipliedBy(32)));
        for (SimulatedStm32 board : List.of(held, literal)) {
            assertThat(board.memory(FLASH, 64 * 1024)).isEqualTo(image.segments().get(0).data());
            assertThat(board.violations()).isEmpty();
        }
    }

    @Test
    void theListenerHearsThePolicyBeforeTheIdentity() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock).build();
        List<String> heard = new ArrayList<>();
        FlashListener listener = new FlashListener() {
            @Override
            public void pollPolicy(PollPolicy policy) {
                heard.add(policy.name());
            }

            @Override
            public void identified(DeviceIdentity identity) {
                heard.add("identified");
            }
        };

        pipeline(PollPolicyChoice.ROM_TABLE).run(SimFixture.request(SimFixture.image(new Segment(FLASH,
                SimFixture.random(4096, 6)))), SimFixture.connector(board), listener, () -> false);

        assertThat(heard).containsExactly("HELD_STATUS", "identified");
    }

    @Test
    void anH7ThatWedgesOnEverySecondBankEraseIsRecoveredAndThenPassesItsFullVerify() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32H743, SimOptions.realistic().withWedges(true),
                clock).build();
        byte[] data = SimFixture.random(300 * 1024, 7); // sectors 8, 9 and 10: the second bank
        FirmwareImage image = SimFixture.image(new Segment(H7_BANK_2, data));

        FlashReport report = pipeline(PollPolicyChoice.ROM_TABLE).run(SimFixture.request(image),
                SimFixture.connector(board), FlashListener.NONE, () -> false);

        assertThat(report.pollPolicy()).isEqualTo("WEDGE_RECOVERY");
        assertThat(report.statistics().wedgeRecoveries()).isEqualTo(3);
        assertThat(report.bytesVerified()).isEqualTo(data.length);
        assertThat(board.memory(FLASH, 128 * 1024)).isEqualTo(
                java.util.Arrays.copyOf(SimFixture.oldContent(ChipProfile.STM32H743), 128 * 1024)); // bank 1 untouched
        assertThat(board.memory(H7_BANK_2, data.length)).isEqualTo(data);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void theSameH7PolledSpecLiterallyTimesOutInTheWedgeWithoutARequestTheStateForbids() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32H743, SimOptions.realistic().withWedges(true),
                clock).build();
        FirmwareImage image = SimFixture.image(new Segment(H7_BANK_2, SimFixture.random(4096, 8)));

        FlashFailure failure = catchThrowableOfType(FlashFailure.class, () -> pipeline(PollPolicyChoice.SPEC_LITERAL)
                .run(SimFixture.request(image), SimFixture.connector(board), FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.DFU_TIMEOUT);
        assertThat(failure.phase()).isEqualTo(Phase.ERASE);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void anL4ThatStallsWhileErasingAndReportsTooShortIsFlashedSpecLiterally() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32L476, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(FLASH, SimFixture.random(20 * 1024, 9)));

        FlashReport report = pipeline(PollPolicyChoice.ROM_TABLE).run(SimFixture.request(image),
                SimFixture.connector(board), FlashListener.NONE, () -> false);

        assertThat(report.pollPolicy()).isEqualTo("SPEC_LITERAL");
        assertThat(board.memory(FLASH, 20 * 1024)).isEqualTo(image.segments().get(0).data());
        assertThat(board.violations()).isEmpty();
    }
}
