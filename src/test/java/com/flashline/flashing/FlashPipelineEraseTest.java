package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuSeCommand;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.ForwardingTransport;
import com.flashline.dfu.Sector;
import com.flashline.dfu.VirtualClock;
import com.flashline.error.FailureCode;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.Segment;
import com.flashline.rom.FlashTimes;
import com.flashline.rom.RomTable;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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

    /**
     * Records the DfuSe erase commands the pipeline sends (their addresses, or -1 for a mass erase),
     * the ERASE phase's progress and the requests it sent.
     */
    private static class EraseRecorder implements FlashListener {
        final List<Long> erases = new ArrayList<>();
        final List<List<Long>> eraseProgress = new ArrayList<>();
        /** UPLOAD and DNLOAD requests sent while ERASE ran. */
        int uploadsInErase;
        int downloadsInErase;
        /** Set Address Pointer commands sent while ERASE ran: one per read run. */
        int pointersInErase;
        private volatile Phase phase;

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
                    if (phase == Phase.ERASE && setup.bRequest() == DfuRequest.DNLOAD.code()) {
                        downloadsInErase++;
                        if (setup.wValue() == 0 && data.length == 5
                                && (data[0] & 0xFF) == DfuSeCommand.SET_ADDRESS_POINTER.code()) {
                            pointersInErase++;
                        }
                    }
                    super.controlOut(setup, data, timeout);
                }

                @Override
                public byte[] controlIn(ControlSetup setup, Duration timeout) {
                    if (phase == Phase.ERASE && setup.bRequest() == DfuRequest.UPLOAD.code()) {
                        uploadsInErase++;
                    }
                    return super.controlIn(setup, timeout);
                }
            };
        }

        @Override
        public void phaseStarted(Phase started) {
            phase = started;
        }

        @Override
        public void progress(Phase of, long bytesDone, long bytesTotal) {
            if (of == Phase.ERASE) {
                eraseProgress.add(List.of(bytesDone, bytesTotal));
            }
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
        return pipeline.run(SimFixture.request(image), recorder.around(board), recorder, () -> false);
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
        long size = profile.flash().size();
        assertThat(recorder.eraseProgress).containsExactly(List.of(size, size));
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

    @Test
    void sectorErasesReportTheirProgressSectorBySector() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32F407, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(40 * 1024, 25)));
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = run(board, image, recorder);

        assertThat(recorder.erases).containsExactly(0x0800_0000L, 0x0800_4000L, 0x0800_8000L);
        long kib16 = 16 * 1024;
        assertThat(recorder.eraseProgress).containsExactly(List.of(kib16, 3 * kib16), List.of(2 * kib16, 3 * kib16),
                List.of(3 * kib16, 3 * kib16));
        assertThat(report.bytesErased()).isEqualTo(3 * kib16);
    }

    @Test
    void aMassEraseRequestErasesTheWholeFlashOnceAndReportsItAsOneStep() {
        ChipProfile profile = ChipProfile.STM32F407;
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(4096, 26)));
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = pipeline.run(new FlashRequest(image, EraseMode.MASS, null, null, false, false),
                recorder.around(board), recorder, () -> false);

        long size = profile.flash().size();
        assertThat(recorder.erases).containsExactly(-1L);
        assertThat(recorder.eraseProgress).containsExactly(List.of(size, size));
        assertThat(report.bytesErased()).isEqualTo(size);
        assertThat(board.violations()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(EraseMode.class)
    void afterReadUnprotectEraseSendsNothingBecauseTheRomAlreadyMassErased(EraseMode mode) {
        ChipProfile profile = ChipProfile.STM32F407;
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).readProtected(true).build();
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(40 * 1024, 27)));
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = pipeline.run(new FlashRequest(image, mode, null, null, true, false),
                recorder.around(board), recorder, () -> false);

        assertThat(recorder.erases).isEmpty();
        assertThat(recorder.uploadsInErase).isZero();
        assertThat(recorder.downloadsInErase).isZero();
        assertThat(report.bytesErased()).isZero();
        long shown = mode == EraseMode.MASS ? profile.flash().size() : 0;
        assertThat(recorder.eraseProgress).containsExactly(List.of(shown, shown));
        assertThat(flash(board)).isEqualTo(erasedAndWritten(profile, blankFlash(profile), image));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aRunCancelledAsEraseStartsSendsTheBoardNothingMore() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32F407, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(40 * 1024, 28)));
        AtomicBoolean cancel = new AtomicBoolean();
        EraseRecorder recorder = new EraseRecorder() {
            @Override
            public void phaseStarted(Phase started) {
                super.phaseStarted(started);
                cancel.set(started == Phase.ERASE);
            }
        };

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(SimFixture.request(image), recorder.around(board), recorder, cancel::get));

        assertThat(failure.code()).isEqualTo(FailureCode.CANCELLED);
        assertThat(failure.phase()).isEqualTo(Phase.ERASE);
        assertThat(failure.getMessage()).isEqualTo("cancelled before ERASE");
        assertThat(recorder.uploadsInErase).isZero();
        assertThat(recorder.downloadsInErase).isZero();
        assertThat(flash(board)).isEqualTo(SimFixture.oldContent(ChipProfile.STM32F407));
    }

    @Test
    void aRunCancelledAfterItsFirstSectorEraseErasesNoOtherSector() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32F407, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(40 * 1024, 29)));
        AtomicBoolean cancel = new AtomicBoolean();
        EraseRecorder recorder = new EraseRecorder() {
            @Override
            public void progress(Phase of, long bytesDone, long bytesTotal) {
                super.progress(of, bytesDone, bytesTotal);
                cancel.set(of == Phase.ERASE);
            }
        };

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(SimFixture.request(image), recorder.around(board), recorder, cancel::get));

        assertThat(failure.code()).isEqualTo(FailureCode.CANCELLED);
        assertThat(failure.phase()).isEqualTo(Phase.ERASE);
        assertThat(recorder.erases).containsExactly(0x0800_0000L);
        assertThat(board.memory(0x0800_4000L, 16)).isEqualTo(
                Arrays.copyOfRange(SimFixture.oldContent(ChipProfile.STM32F407), 0x4000, 0x4010));
    }

    @Test
    void aRunCancelledOnceItsSectorsAreSortedDoesNotMassEraseTheBoard() {
        ChipProfile profile = ChipProfile.STM32F407;
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(profile.flash().base(),
                SimFixture.random(profile.flash().size(), 30)));
        long lastSector = profile.flashSectors().get(profile.flashSectors().size() - 1).start();
        AtomicBoolean cancel = new AtomicBoolean();
        EraseRecorder recorder = new EraseRecorder();
        DeviceConnector recorded = recorder.around(board);
        // Cancelled while the last sector is being read: the read itself finishes, the mass erase must not start.
        DeviceConnector cancelling = timeout -> new ForwardingTransport(recorded.connect(timeout)) {
            @Override
            public void controlOut(ControlSetup setup, byte[] data, Duration t) {
                if (setup.bRequest() == DfuRequest.DNLOAD.code() && setup.wValue() == 0 && data.length == 5
                        && (data[0] & 0xFF) == DfuSeCommand.SET_ADDRESS_POINTER.code()
                        && DfuSeCommand.address(data) == lastSector) {
                    cancel.set(true);
                }
                super.controlOut(setup, data, t);
            }
        };

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(SimFixture.request(image), cancelling, recorder, cancel::get));

        assertThat(failure.code()).isEqualTo(FailureCode.CANCELLED);
        assertThat(failure.phase()).isEqualTo(Phase.ERASE);
        assertThat(recorder.erases).isEmpty();
        assertThat(flash(board)).isEqualTo(SimFixture.oldContent(profile));
    }

    @Test
    void sectorsCheaperToEraseThanToReadAreErasedUnreadAndTheReadStopsBeforeThem() {
        ChipProfile profile = ChipProfile.STM32F407;
        FlashTimes standard = RomTable.STM32F2_F4.flash();
        Map<Integer, FlashTimes.EraseTime> quick64 = new HashMap<>(standard.sectorErase());
        quick64.put(64 * 1024, FlashTimes.EraseTime.typicalMillis(1));
        FlashTimes times = new FlashTimes(standard.programUnit(), standard.programTime(), quick64,
                standard.massErase());
        ChipCatalog catalog = new ChipCatalog(new RomTable(RomTable.standard().rows().stream()
                .map(row -> row == RomTable.STM32F2_F4 ? row.withFlash(times) : row).toList()));
        FlashPipeline quickErase = new FlashPipeline(clock, DfuOptions.DEFAULTS, catalog);
        Sector blank = profile.flashSectors().get(3);
        Sector quick = profile.flashSectors().get(4);
        byte[] erased = new byte[(int) blank.size()];
        Arrays.fill(erased, (byte) 0xFF);
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock)
                .content(blank.start(), erased).build();
        byte[] before = flash(board);
        FirmwareImage image = SimFixture.image(new Segment(blank.start(), SimFixture.random(24 * 1024, 31)));
        EraseRecorder recorder = new EraseRecorder();

        quickErase.run(SimFixture.request(image), recorder.around(board), recorder, () -> false);

        assertThat(recorder.erases).containsExactly(quick.start());
        assertThat(recorder.uploadsInErase).as("the blank 16 KiB sector, block by block, and nothing of the next")
                .isEqualTo((int) blank.size() / profile.transferSize());
        assertThat(flash(board)).isEqualTo(erasedAndWritten(profile, before, image));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void blankSectorsOnEitherSideOfAUsedOneAreWrittenWithoutAnyErase() {
        ChipProfile profile = ChipProfile.STM32F407;
        Sector first = profile.flashSectors().get(1);
        Sector third = profile.flashSectors().get(3);
        byte[] erased = new byte[(int) first.size()];
        Arrays.fill(erased, (byte) 0xFF);
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock)
                .content(first.start(), erased).content(third.start(), erased).build();
        byte[] before = flash(board);
        FirmwareImage image = SimFixture.image(new Segment(first.start() + 100, SimFixture.random(500, 32)),
                new Segment(third.start() + 200, SimFixture.random(600, 33)));
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = run(board, image, recorder);

        assertThat(recorder.erases).isEmpty();
        assertThat(report.bytesErased()).isZero();
        assertThat(flash(board)).isEqualTo(erasedAndWritten(profile, before, image));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void neighbouringSectorsAreReadInOneRunThatStopsInsideASectorToBeErased() {
        ChipProfile profile = ChipProfile.STM32F407;
        Sector used = profile.flashSectors().get(1);
        Sector blank = profile.flashSectors().get(2);
        Sector alsoBlank = profile.flashSectors().get(3);
        byte[] erased = new byte[(int) blank.size()];
        Arrays.fill(erased, (byte) 0xFF);
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock)
                .content(blank.start(), erased).content(alsoBlank.start(), erased).build();
        byte[] before = flash(board);
        FirmwareImage image = SimFixture.image(new Segment(used.start() + 64,
                SimFixture.random((int) (alsoBlank.end() - used.start()) - 4096, 34)));
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = run(board, image, recorder);

        assertThat(recorder.erases).containsExactly(used.start());
        assertThat(recorder.pointersInErase).as("one run from the used sector, stopped there; one over both blank ones")
                .isEqualTo(2);
        assertThat(recorder.uploadsInErase).isEqualTo(1 + 2 * (int) blank.size() / profile.transferSize());
        assertThat(report.bytesErased()).isEqualTo(used.size());
        assertThat(flash(board)).isEqualTo(erasedAndWritten(profile, before, image));
        assertThat(board.violations()).isEmpty();
    }

    /** An STM32F042: the F072's ROM and options, but 32 KiB in 1 KiB pages, so one 2 KiB block holds two pages. */
    private static ChipProfile f042() {
        ChipProfile f072 = ChipProfile.STM32F072;
        return new ChipProfile("STM32F042", f072.vendorId(), f072.productId(), f072.bcdDevice(), f072.manufacturer(),
                f072.product(), f072.rom(), List.of("@Internal Flash  /0x08000000/032*0001Kg",
                        f072.altSettingNames().get(1)), f072.transferSize(), f072.bmAttributes(),
                f072.detachTimeoutMillis(), f072.bcdDfuVersion(), f072.ram(), f072.systemMemory(), f072.otp(),
                f072.deviceIdArea(), f072.flashSizeRegisterAddress(), f072.optionBytes(),
                f072.programFailsOnUnerased());
    }

    @Test
    void pagesSmallerThanABlockAreSortedEachByItsOwnBytes() {
        ChipProfile profile = f042();
        List<Sector> pages = profile.flashSectors();
        long base = profile.flash().base();
        byte[] data = SimFixture.random(8 * 1024, 35);
        byte[] blank = new byte[1024];
        Arrays.fill(blank, (byte) 0xFF);
        // page 1 blank; pages 2 and 3 (the second half of a block) already hold their part of the image
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock)
                .content(pages.get(1).start(), blank)
                .content(pages.get(2).start(), Arrays.copyOfRange(data, 2048, 4096)).build();
        byte[] before = flash(board);
        FirmwareImage image = SimFixture.image(new Segment(base, data));
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = run(board, image, recorder);

        assertThat(recorder.erases).containsExactly(pages.get(0).start(), pages.get(4).start(), pages.get(5).start(),
                pages.get(6).start(), pages.get(7).start());
        assertThat(report.bytesErased()).isEqualTo(5 * 1024);
        assertThat(report.bytesWritten()).as("every page but the two that already hold the image").isEqualTo(6 * 1024);
        assertThat(report.bytesVerified()).isEqualTo(8 * 1024);
        assertThat(flash(board)).isEqualTo(erasedAndWritten(profile, before, image));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void theLastPageIsReadWithoutReadingPastTheEndOfTheFlash() {
        ChipProfile profile = f042();
        Sector last = profile.flashSectors().get(profile.flashSectors().size() - 1);
        byte[] blank = new byte[(int) last.size()];
        Arrays.fill(blank, (byte) 0xFF);
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock)
                .content(last.start(), blank).build();
        FirmwareImage image = SimFixture.image(new Segment(last.start() + 512, SimFixture.random(512, 36)));
        EraseRecorder recorder = new EraseRecorder();

        FlashReport report = run(board, image, recorder);

        assertThat(recorder.erases).isEmpty();
        assertThat(recorder.uploadsInErase).isEqualTo(1);
        assertThat(report.bytesErased()).isZero();
        assertThat(board.memory(last.start() + 512, 512)).isEqualTo(image.segments().get(0).data());
        assertThat(board.violations()).isEmpty();
    }

    private static byte[] blankFlash(ChipProfile profile) {
        byte[] blank = new byte[profile.flash().size()];
        Arrays.fill(blank, (byte) 0xFF);
        return blank;
    }
}
