package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuSeCommand;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.ForwardingTransport;
import com.flashline.dfu.Sector;
import com.flashline.dfu.VirtualClock;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.Segment;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ERASE prepares only what needs it: blank sectors are written without an erase, sectors that
 * already hold their part of the image are neither erased nor written, the rest is erased (all at
 * once when the whole flash must go and the family's mass erase is faster). Whatever the path,
 * the flash ends byte for byte as if every touched sector had been erased and written.
 */
class FlashPipelineEraseTest {

    private final VirtualClock clock = new VirtualClock();
    private final FlashPipeline pipeline = SimFixture.pipeline(clock);

    /** Records the DfuSe erase commands the pipeline sends: their addresses, or -1 for a mass erase. */
    private static final class EraseRecorder {
        final List<Long> erases = new ArrayList<>();

        DeviceConnector around(SimulatedStm32 board) {
            return timeout -> recording(board.connect());
        }

        private DfuTransport recording(DfuTransport delegate) {
            return new ForwardingTransport(delegate) {
                @Override
                public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
                    if (setup.bRequest() == DfuRequest.DNLOAD.code() && setup.wValue() == 0 && data.length > 0
                            && (data[0] & 0xFF) == DfuSeCommand.ERASE.code()) {
                        erases.add(data.length == 1 ? -1L : DfuSeCommand.address(data));
                    }
                    super.controlOut(setup, data, timeout);
                }
            };
        }
    }

    private static SimulatedStm32 blankBoard(ChipProfile profile, VirtualClock clock) {
        return SimulatedStm32.builder(profile).options(SimOptions.realistic()).clock(clock)
                .seed(profile.name().hashCode()).build();
    }

    /** The flash after erasing every sector the image touches and writing it, over {@code before}. */
    private static byte[] erasedAndWritten(ChipProfile profile, byte[] before, FirmwareImage image) {
        byte[] expected = before.clone();
        long base = profile.flash().base();
        for (Sector sector : profile.flashSectors()) {
            if (image.segments().stream().anyMatch(s -> s.address() < sector.end() && sector.start() < s.end())) {
                Arrays.fill(expected, (int) (sector.start() - base), (int) (sector.end() - base), (byte) 0xFF);
            }
        }
        for (Segment s : image.segments()) {
            System.arraycopy(s.data(), 0, expected, (int) (s.address() - base), s.length());
        }
        return expected;
    }

    private static byte[] flash(SimulatedStm32 board) {
        ChipProfile.Region flash = board.profile().flash();
        return board.memory(flash.base(), flash.size());
    }

    private FlashReport run(SimulatedStm32 board, FirmwareImage image, EraseRecorder recorder) {
        return pipeline.run(SimFixture.request(image), recorder.around(board), FlashListener.NONE, () -> false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.flashline.flashing.ChipCatalogTest#profiles")
    void aBlankBoardIsWrittenWithoutAnyErase(ChipProfile profile) {
        SimulatedStm32 board = blankBoard(profile, clock);
        FirmwareImage image = FlashPipelineRoundTripTest.awkwardImage(profile);
        byte[] before = flash(board);
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = run(board, image, recorder);

        assertThat(recorder.erases).isEmpty();
        assertThat(report.bytesErased()).isZero();
        assertThat(report.bytesWritten()).isEqualTo(report.bytesVerified()).isGreaterThanOrEqualTo(image.totalSize());
        assertThat(flash(board)).isEqualTo(erasedAndWritten(profile, before, image));
        assertThat(board.violations()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.flashline.flashing.ChipCatalogTest#profiles")
    void reflashingTheSameImageNeitherErasesNorWritesButStillVerifiesEveryByte(ChipProfile profile) {
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        FirmwareImage image = FlashPipelineRoundTripTest.awkwardImage(profile);
        run(board, image, new EraseRecorder());
        byte[] afterFirst = flash(board);
        EraseRecorder recorder = new EraseRecorder();
        long uploadsBefore = board.requestCount(DfuRequest.UPLOAD);

        FlashReport second = run(board, image, recorder);

        assertThat(recorder.erases).isEmpty();
        assertThat(second.bytesErased()).isZero();
        assertThat(second.bytesWritten()).isZero();
        assertThat(second.bytesVerified()).isEqualTo(WritePlan.of(image.segments()).totalBytes());
        assertThat(board.requestCount(DfuRequest.UPLOAD)).isGreaterThan(uploadsBefore);
        assertThat(flash(board)).isEqualTo(afterFirst);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void onlyTheSectorsWhoseContentDiffersAreErasedAndWritten() {
        ChipProfile profile = ChipProfile.STM32F407;
        List<Sector> sectors = profile.flashSectors();
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        byte[] v1 = SimFixture.random(200 * 1024, 21);
        run(board, SimFixture.image(new Segment(0x0800_0000L, v1)), new EraseRecorder());
        byte[] v2 = v1.clone();
        v2[20 * 1024] ^= 0x01;                 // sector 1 (16 KiB at 0x08004000)
        v2[100 * 1024] ^= 0x40;                // sector 4 (64 KiB at 0x08010000)
        // Sector 5 also holds a byte the image does not cover: it must be erased to be as if erased.
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, v2));
        byte[] before = flash(board);
        long outside = sectors.get(5).end() - 1 - profile.flash().base();
        SimulatedStm32 reworked = SimFixture.usedBoard(profile, SimOptions.realistic(), clock)
                .content(profile.flash().base(), withByte(before, (int) outside, (byte) 0x00)).build();
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = run(reworked, image, recorder);

        assertThat(recorder.erases).containsExactly(sectors.get(1).start(), sectors.get(4).start(),
                sectors.get(5).start());
        assertThat(report.bytesErased()).isEqualTo(16 * 1024 + 64 * 1024 + 128 * 1024);
        assertThat(report.bytesWritten()).isEqualTo(16 * 1024 + 64 * 1024 + (200 - 128) * 1024);
        assertThat(report.bytesVerified()).isEqualTo(200 * 1024);
        assertThat(flash(reworked)).isEqualTo(erasedAndWritten(profile, withByte(before, (int) outside, (byte) 0x00),
                image));
        assertThat(reworked.violations()).isEmpty();
    }

    private static byte[] withByte(byte[] bytes, int index, byte value) {
        byte[] copy = bytes.clone();
        copy[index] = value;
        return copy;
    }

    @Test
    void anImageOverTheWholeFlashOfAUsedF4IsMassErasedBecauseThatIsFasterThanTwelveSectorErases() {
        ChipProfile profile = ChipProfile.STM32F407;
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(profile.flash().base(),
                SimFixture.random(profile.flash().size(), 22)));
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = run(board, image, recorder);

        assertThat(recorder.erases).containsExactly(-1L);
        assertThat(report.bytesErased()).isEqualTo(profile.flash().size());
        assertThat(flash(board)).isEqualTo(image.segments().get(0).data());
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aMassEraseIsNeverChosenWhenItWouldWipeASectorTheImageDoesNotTouch() {
        ChipProfile profile = ChipProfile.STM32F107;
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(profile.flash().base(),
                SimFixture.random(profile.flash().size() - 2048, 23)));
        byte[] before = flash(board);
        EraseRecorder recorder = new EraseRecorder();

        run(board, image, recorder);

        assertThat(recorder.erases).hasSize(profile.flashSectors().size() - 1).doesNotContain(-1L);
        assertThat(flash(board)).isEqualTo(erasedAndWritten(profile, before, image));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aFamilyWithoutRecordedEraseTimesHasEveryTouchedSectorErasedUnread() {
        ChipCatalog withoutTimes = new ChipCatalog(new com.flashline.rom.RomTable(
                com.flashline.rom.RomTable.standard().rows().stream().map(row -> row.withFlash(null)).toList()));
        FlashPipeline plain = new FlashPipeline(clock, com.flashline.dfu.DfuOptions.DEFAULTS, withoutTimes);
        ChipProfile profile = ChipProfile.STM32F407;
        SimulatedStm32 board = blankBoard(profile, clock);
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(40 * 1024, 24)));
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = plain.run(SimFixture.request(image), recorder.around(board), FlashListener.NONE,
                () -> false);

        assertThat(recorder.erases).containsExactly(0x0800_0000L, 0x0800_4000L, 0x0800_8000L);
        assertThat(report.bytesErased()).isEqualTo(48 * 1024);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aSerialRecordInABlankSectorOfTheImageIsWrittenWithoutErasingTheImage() {
        ChipProfile profile = ChipProfile.STM32L476;
        SimulatedStm32 board = blankBoard(profile, clock);
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(1000, 4)));
        SerialRecordSource source = (uid, usb) -> new SerialRecord(0x0800_0400L + 3, new byte[] {1, 2, 3}, "x");
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = pipeline.run(new FlashRequest(image, EraseMode.SECTORS, source, null, false, false),
                recorder.around(board), FlashListener.NONE, () -> false);

        assertThat(recorder.erases).isEmpty();
        assertThat(report.bytesErased()).isZero();
        assertThat(board.memory(0x0800_0000L, 1000)).isEqualTo(image.segments().get(0).data());
        assertThat(board.memory(0x0800_0403L, 3)).containsExactly(1, 2, 3);
        assertThat(board.violations()).isEmpty();
    }
}
