package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.Sector;
import com.flashline.dfu.VirtualClock;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.Segment;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimOptions.BlockAddressing;
import com.flashline.sim.SimOptions.StatusTiming;
import com.flashline.sim.SimulatedStm32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole-board round trips on every simulated family, time model, address reading and status behaviour. */
class FlashPipelineRoundTripTest {

    static Stream<Arguments> everyBoardAndBehaviour() {
        List<Arguments> cases = new ArrayList<>();
        for (ChipProfile profile : ChipProfile.all()) {
            for (double timeScale : new double[] {1, 0}) {
                for (BlockAddressing addressing : BlockAddressing.values()) {
                    for (StatusTiming timing : StatusTiming.values()) {
                        cases.add(Arguments.of(profile, SimOptions.defaults().withTimeScale(timeScale)
                                .withBlockAddressing(addressing).withStatusTiming(timing)));
                    }
                }
            }
        }
        return cases.stream();
    }

    /**
     * Segments that exercise the block splitting and the erase plan: a start not a multiple of the
     * transfer size long, an odd start with a gap and a single byte after it, and a run through a
     * whole sector into the next (on the F4 from the end of sector 3 through sector 4 into sector
     * 5: 16, 64 and 128 KiB sectors), leaving sectors in between untouched.
     */
    static FirmwareImage awkwardImage(ChipProfile profile) {
        List<Sector> sectors = profile.flashSectors();
        int transfer = profile.transferSize();
        Segment first = new Segment(sectors.get(0).start(), SimFixture.random(2 * transfer + 777, 1));
        int oddSector = sectorIndex(sectors, first.end() - 1) + 1;
        long odd = sectors.get(oddSector).start() + 13;
        int spanFrom = Math.max(oddSector + 2, 3);
        long spanStart = sectors.get(spanFrom).end() - 301;
        long spanEnd = sectors.get(spanFrom + 2).start() + 257;
        return SimFixture.image(first,
                new Segment(odd, SimFixture.random(1001, 2)),
                new Segment(odd + 1001 + 50, new byte[] {0x42}),
                new Segment(spanStart, SimFixture.random((int) (spanEnd - spanStart), 3)));
    }

    private static int sectorIndex(List<Sector> sectors, long address) {
        for (int i = 0; i < sectors.size(); i++) {
            if (sectors.get(i).contains(address)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not in flash: " + address);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyBoardAndBehaviour")
    void theFlashEqualsTheImageUntouchedSectorsKeepTheirContentAndTheHostBrokeNoRule(ChipProfile profile,
            SimOptions options) {
        VirtualClock clock = new VirtualClock();
        SimulatedStm32 board = SimFixture.usedBoard(profile, options, clock).build();
        FirmwareImage image = awkwardImage(profile);

        FlashReport report = SimFixture.pipeline(clock).run(SimFixture.request(image), SimFixture.connector(board),
                FlashListener.NONE, () -> false);

        ChipProfile.Region flash = profile.flash();
        assertThat(board.memory(flash.base(), flash.size())).isEqualTo(SimFixture.expectedFlash(profile, image));
        assertThat(board.violations()).isEmpty();
        assertThat(report.phases()).extracting(PhaseTiming::phase)
                .containsExactly(Phase.CONNECT, Phase.IDENTIFY, Phase.ERASE, Phase.WRITE, Phase.VERIFY);
        assertThat(report.identity().chipUid()).isEqualTo(HexFormat.of().withUpperCase().formatHex(board.uniqueId()));
        assertThat(report.bytesWritten()).isEqualTo(report.bytesVerified()).isGreaterThanOrEqualTo(image.totalSize());
        long touched = profile.flashSectors().stream().filter(s -> image.segments().stream()
                .anyMatch(seg -> seg.address() < s.end() && s.start() < seg.end())).mapToLong(Sector::size).sum();
        assertThat(report.bytesErased()).isEqualTo(touched);
        for (DfuRequest request : DfuRequest.values()) {
            assertThat(report.statistics().transfers(request)).as("%s transfers", request)
                    .isEqualTo(board.requestCount(request));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.flashline.flashing.ChipCatalogTest#profiles")
    void aMassEraseLeavesOnlyTheImageInFlash(ChipProfile profile) {
        VirtualClock clock = new VirtualClock();
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        FirmwareImage image = awkwardImage(profile);
        FlashRequest request = new FlashRequest(image, EraseMode.MASS, null, null, false, false);

        FlashReport report = SimFixture.pipeline(clock).run(request, SimFixture.connector(board), FlashListener.NONE,
                () -> false);

        byte[] expected = new byte[profile.flash().size()];
        java.util.Arrays.fill(expected, (byte) 0xFF);
        for (Segment s : image.segments()) {
            System.arraycopy(s.data(), 0, expected, (int) (s.address() - profile.flash().base()), s.length());
        }
        assertThat(board.memory(profile.flash().base(), profile.flash().size())).isEqualTo(expected);
        assertThat(report.bytesErased()).isEqualTo(profile.flash().size());
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void theRealBlinkyBuildIsWrittenVerifiedAndStartedAtItsResetVector() {
        VirtualClock clock = new VirtualClock();
        ChipProfile profile = ChipProfile.STM32F407;
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.corpus("blinky-flash.hex");
        List<Phase> finished = new ArrayList<>();

        FlashReport report = SimFixture.pipeline(clock).run(FlashRequest.of(image), SimFixture.connector(board),
                new FlashListener() {
                    @Override
                    public void phaseFinished(Phase phase, Duration duration) {
                        finished.add(phase);
                    }
                }, () -> false);

        assertThat(board.memory(profile.flash().base(), profile.flash().size()))
                .isEqualTo(SimFixture.expectedFlash(profile, image));
        byte[] vectors = image.segments().get(0).data();
        long resetHandler = (vectors[4] & 0xFFL) | (vectors[5] & 0xFFL) << 8 | (vectors[6] & 0xFFL) << 16
                | (vectors[7] & 0xFFL) << 24;
        assertThat(board.lastJump()).hasValueSatisfying(jump -> {
            assertThat(jump.vectorTable()).isEqualTo(0x0800_0000L);
            assertThat(jump.resetHandler()).isEqualTo(resetHandler).isEqualTo(0x0800_0043L);
        });
        assertThat(report.leave()).isNotNull();
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.APPLICATION);
        assertThat(finished).containsExactly(Phase.CONNECT, Phase.IDENTIFY, Phase.ERASE, Phase.WRITE, Phase.VERIFY,
                Phase.LEAVE);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void worksOnTheSystemClockAgainstAnInstantBoard() {
        ChipProfile profile = ChipProfile.STM32L476;
        SimulatedStm32 board = SimulatedStm32.builder(profile).options(SimOptions.defaults()).build();
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0801L, SimFixture.random(3000, 9)));

        new FlashPipeline(DfuClock.SYSTEM, DfuOptions.DEFAULTS, new ChipCatalog()).run(SimFixture.request(image),
                SimFixture.connector(board), FlashListener.NONE, () -> false);

        assertThat(board.memory(0x0800_0801L, 3000)).isEqualTo(image.segments().get(0).data());
        assertThat(board.violations()).isEmpty();
    }
}
