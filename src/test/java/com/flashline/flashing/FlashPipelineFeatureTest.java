package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.Sector;
import com.flashline.dfu.VirtualClock;
import com.flashline.error.FailureCode;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.Segment;
import com.flashline.rom.RomBehaviour;
import com.flashline.rom.RomTable;
import com.flashline.rom.UniqueIdLocation;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Read protection, serial records, option bytes, leaving DFU mode and unknown chips. */
class FlashPipelineFeatureTest {

    private final VirtualClock clock = new VirtualClock();
    private final FlashPipeline pipeline = SimFixture.pipeline(clock);

    private static String uidHex(SimulatedStm32 board) {
        return HexFormat.of().withUpperCase().formatHex(board.uniqueId());
    }

    /** An image whose vector table is valid: initial SP in RAM, reset handler at base + 0x101 (Thumb). */
    private static FirmwareImage bootableImage(ChipProfile profile) {
        long base = profile.flash().base();
        byte[] code = SimFixture.random(3000, 11);
        long sp = profile.ram().base() + 0x1000;
        long pc = base + 0x101;
        for (int i = 0; i < 4; i++) {
            code[i] = (byte) (sp >>> (8 * i));
            code[4 + i] = (byte) (pc >>> (8 * i));
        }
        return SimFixture.image(new Segment(base, code));
    }

    /**
     * The report counts every transfer of every enumeration. After each reset the pipeline caused,
     * one GETSTATUS found the board already gone: counted as an attempt, never received.
     */
    private static void assertStatisticsMatchTheBoard(FlashReport report, SimulatedStm32 board) {
        int resets = board.enumerationCount() - 1;
        for (DfuRequest request : DfuRequest.values()) {
            long unanswered = request == DfuRequest.GETSTATUS ? resets : 0;
            assertThat(report.statistics().transfers(request)).as("%s transfers", request)
                    .isEqualTo(board.requestCount(request) + unanswered);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.flashline.flashing.ChipCatalogTest#profiles")
    void aReadProtectedBoardIsUnprotectedWhenAllowedAndThenHoldsOnlyTheImage(ChipProfile profile) {
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).readProtected(true).build();
        FirmwareImage image = bootableImage(profile);
        List<DeviceIdentity> identities = new ArrayList<>();
        FlashListener listener = new FlashListener() {
            @Override
            public void identified(DeviceIdentity identity) {
                identities.add(identity);
            }
        };
        FlashRequest request = new FlashRequest(image, EraseMode.SECTORS, null, null, true, false);

        FlashReport report = pipeline.run(request, SimFixture.connector(board), listener, () -> false);

        assertThat(board.readProtected()).isFalse();
        byte[] expected = new byte[profile.flash().size()];
        Arrays.fill(expected, (byte) 0xFF);
        System.arraycopy(image.segments().get(0).data(), 0, expected, 0, image.segments().get(0).length());
        assertThat(board.memory(profile.flash().base(), profile.flash().size())).isEqualTo(expected);
        assertThat(report.phases()).extracting(PhaseTiming::phase).containsExactly(Phase.CONNECT, Phase.IDENTIFY,
                Phase.UNPROTECT, Phase.ERASE, Phase.WRITE, Phase.VERIFY);
        assertThat(identities).extracting(DeviceIdentity::chipUid).containsExactly(null, uidHex(board));
        assertThat(report.identity().chipUid()).isEqualTo(uidHex(board));
        assertThat(board.enumerationCount()).isEqualTo(2);
        assertStatisticsMatchTheBoard(report, board);
        assertThat(board.violations()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.flashline.flashing.ChipCatalogTest#profiles")
    void aReadProtectedBoardIsLeftAloneWhenUnprotectingIsNotAllowed(ChipProfile profile) {
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).readProtected(true).build();

        FlashFailure failure = catchThrowableOfType(FlashFailure.class, () -> pipeline.run(
                SimFixture.request(bootableImage(profile)), SimFixture.connector(board), FlashListener.NONE,
                () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.READ_PROTECTED);
        assertThat(failure.phase()).isEqualTo(Phase.IDENTIFY);
        assertThat(failure.retryable()).isFalse();
        assertThat(board.readProtected()).isTrue();
        assertThat(board.memory(profile.flash().base(), profile.flash().size()))
                .isEqualTo(SimFixture.oldContent(profile));
        assertThat(board.enumerationCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.flashline.flashing.ChipCatalogTest#profiles")
    void theSerialRecordIsWrittenInItsOwnSectorAndReadBack(ChipProfile profile) {
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        Sector serialSector = profile.flashSectors().get(6);
        long address = serialSector.start() + 0x21;
        byte[] text = "FL-000123".getBytes(StandardCharsets.US_ASCII);
        List<String> asked = new ArrayList<>();
        SerialRecordSource source = (uid, usbSerial) -> {
            asked.add(uid + "/" + usbSerial);
            return new SerialRecord(address, text, "FL-000123");
        };
        FirmwareImage image = bootableImage(profile);
        FlashRequest request = new FlashRequest(image, EraseMode.SECTORS, source, null, false, false);

        FlashReport report = pipeline.run(request, SimFixture.connector(board), FlashListener.NONE, () -> false);

        assertThat(asked).containsExactly(uidHex(board) + "/" + board.serialNumber());
        assertThat(board.memory(address, text.length)).isEqualTo(text);
        assertThat(board.memory(serialSector.start(), 0x21)).containsOnly((byte) 0xFF);
        assertThat(report.serial().text()).isEqualTo("FL-000123");
        long imageSectors = profile.flashSectors().stream().filter(s -> s.start() < image.segments().get(0).end())
                .mapToLong(Sector::size).sum();
        assertThat(report.bytesErased()).isEqualTo(imageSectors + serialSector.size());
        assertThat(report.phases()).extracting(PhaseTiming::phase).endsWith(Phase.VERIFY, Phase.SERIALIZE);
        // Other sectors keep the old program.
        Sector untouched = profile.flashSectors().get(5);
        assertThat(board.memory(untouched.start(), 64)).isEqualTo(Arrays.copyOfRange(SimFixture.oldContent(profile),
                (int) (untouched.start() - profile.flash().base()), (int) (untouched.start() - profile.flash().base()) + 64));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aSerialRecordInASectorTheImageAlreadyErasedCostsNoSecondErase() {
        ChipProfile profile = ChipProfile.STM32L476;
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(1000, 4)));
        SerialRecordSource source = (uid, usb) -> new SerialRecord(0x0800_0400L + 3, new byte[] {1, 2, 3}, "x");

        FlashReport report = pipeline.run(new FlashRequest(image, EraseMode.SECTORS, source, null, false, false),
                SimFixture.connector(board), FlashListener.NONE, () -> false);

        assertThat(report.bytesErased()).isEqualTo(2048);
        assertThat(board.memory(0x0800_0403L, 3)).containsExactly(1, 2, 3);
        assertThat(board.memory(0x0800_0000L, 1000)).isEqualTo(image.segments().get(0).data());
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aSerialRecordSharingProgramUnitsWithTheImageIsRefused() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32L476, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(1000, 4)));
        SerialRecordSource source = (uid, usb) -> new SerialRecord(1000 + 0x0800_0000L, new byte[] {1, 2}, "x");

        FlashFailure failure = catchThrowableOfType(FlashFailure.class, () -> pipeline.run(
                new FlashRequest(image, EraseMode.SECTORS, source, null, false, false), SimFixture.connector(board),
                FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.SERIAL_INVALID);
        assertThat(failure.phase()).isEqualTo(Phase.SERIALIZE);
        assertThat(board.violations()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("com.flashline.flashing.ChipCatalogTest#profiles")
    void optionBytesAreWrittenTheBoardReEnumeratesAndTheyReadBackThenTheApplicationStarts(ChipProfile profile) {
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        ChipProfile.OptionBlock defaults = profile.optionBytes().first();
        byte[] options = defaults.factoryDefaults();
        options[2] ^= 0x01; // a user option bit, never the read-protection byte
        FirmwareImage image = bootableImage(profile);
        FlashRequest request = new FlashRequest(image, EraseMode.SECTORS, null,
                new OptionBytesBlock(defaults.base(), options), false, true);

        FlashReport report = pipeline.run(request, SimFixture.connector(board), FlashListener.NONE, () -> false);

        assertThat(board.memory(defaults.base(), options.length)).isEqualTo(options);
        assertThat(board.enumerationCount()).isEqualTo(2);
        assertThat(report.phases()).extracting(PhaseTiming::phase).containsExactly(Phase.CONNECT, Phase.IDENTIFY,
                Phase.ERASE, Phase.WRITE, Phase.VERIFY, Phase.OPTION_BYTES, Phase.LEAVE);
        assertThat(board.lastJump()).hasValueSatisfying(jump -> {
            assertThat(jump.vectorTable()).isEqualTo(profile.flash().base());
            assertThat(jump.resetHandler()).isEqualTo(profile.flash().base() + 0x101);
        });
        assertThat(board.memory(profile.flash().base(), 3000)).isEqualTo(image.segments().get(0).data());
        assertStatisticsMatchTheBoard(report, board);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void theRealBlinkyWithItsOptionBytesGivenAsABlockIsFlashedWhole() {
        ChipProfile profile = ChipProfile.STM32F407;
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        FirmwareImage whole = SimFixture.corpus("blinky.elf");
        List<Segment> flash = whole.segments().stream().filter(s -> s.address() < 0x1000_0000L).toList();
        Segment options = whole.segments().stream().filter(s -> s.address() == 0x1FFF_C000L).findFirst().orElseThrow();
        FlashRequest request = new FlashRequest(SimFixture.image(flash.toArray(Segment[]::new)), EraseMode.SECTORS,
                null, new OptionBytesBlock(options.address(), options.data()), false, true);

        pipeline.run(request, SimFixture.connector(board), FlashListener.NONE, () -> false);

        for (Segment s : flash) {
            assertThat(board.memory(s.address(), s.length())).isEqualTo(s.data());
        }
        assertThat(board.memory(0x1FFF_C000L, options.length())).isEqualTo(options.data());
        assertThat(board.lastJump()).hasValueSatisfying(j -> assertThat(j.resetHandler()).isEqualTo(0x0800_0043L));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aChipOfAnUnknownFamilyIsFlashedWithoutAUniqueId() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32F407, SimOptions.realistic(), clock).build();
        FlashPipeline knowsNothing = new FlashPipeline(clock, DfuOptions.DEFAULTS, new ChipCatalog(new RomTable(List.of())));
        FirmwareImage image = bootableImage(ChipProfile.STM32F407);

        FlashReport report = knowsNothing.run(SimFixture.request(image), SimFixture.connector(board),
                FlashListener.NONE, () -> false);

        assertThat(report.identity().chipUid()).isNull();
        assertThat(report.identity().chipFamily()).isNull();
        assertThat(report.identity().usbSerial()).isEqualTo(board.serialNumber());
        assertThat(report.identity().bootloaderVersion()).isEqualTo("2.2");
        assertThat(board.memory(0x0800_0000L, 3000)).isEqualTo(image.segments().get(0).data());
    }

    @Test
    void aProtectedChipOfAnUnknownFamilyIsStillRecognisedAsProtected() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32F072, SimOptions.realistic(), clock)
                .readProtected(true).build();
        FlashPipeline knowsNothing = new FlashPipeline(clock, DfuOptions.DEFAULTS, new ChipCatalog(new RomTable(List.of())));

        FlashFailure failure = catchThrowableOfType(FlashFailure.class, () -> knowsNothing.run(
                SimFixture.request(bootableImage(ChipProfile.STM32F072)), SimFixture.connector(board),
                FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.READ_PROTECTED);
    }

    @Test
    void aRomThatRefusesTheUniqueIdAddressIsFlashedWithoutAUniqueId() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32F407, SimOptions.realistic(), clock).build();
        // A family entry whose UID address this ROM does not serve (a peripheral address: errTARGET).
        RomBehaviour unreadableUid = RomBehaviour.of("F4_UID_OUT_OF_REACH", "F4 with the UID out of reach", rom -> true)
                .withUniqueId(UniqueIdLocation.contiguous(0x4000_0000L));
        FlashPipeline pipelineWithIt = new FlashPipeline(clock, DfuOptions.DEFAULTS,
                new ChipCatalog().with(unreadableUid));
        FirmwareImage image = bootableImage(ChipProfile.STM32F407);

        FlashReport report = pipelineWithIt.run(SimFixture.request(image), SimFixture.connector(board),
                FlashListener.NONE, () -> false);

        assertThat(report.identity().chipUid()).isNull();
        assertThat(report.identity().chipFamily()).isEqualTo("F4 with the UID out of reach");
        assertThat(board.memory(0x0800_0000L, 3000)).isEqualTo(image.segments().get(0).data());
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aSerialRecordInOtpIsWrittenThereWithoutAnyErase() {
        ChipProfile profile = ChipProfile.STM32F407;
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        long otp = 0x1FFF_7800L;
        byte[] text = "FL-000900".getBytes(StandardCharsets.US_ASCII);
        SerialRecordSource source = (uid, usb) -> new SerialRecord(otp, text, "FL-000900");
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(4096, 12)));

        FlashReport report = pipeline.run(new FlashRequest(image, EraseMode.SECTORS, source, null, false, false),
                SimFixture.connector(board), FlashListener.NONE, () -> false);

        byte[] padded = new byte[WritePlan.PROGRAM_ALIGNMENT];
        Arrays.fill(padded, (byte) 0xFF);
        System.arraycopy(text, 0, padded, 0, text.length);
        assertThat(board.memory(otp, padded.length)).isEqualTo(padded);
        assertThat(report.bytesErased()).as("the image's first sector only").isEqualTo(16 * 1024);
        assertThat(report.bytesWritten()).isEqualTo(4096 + WritePlan.PROGRAM_ALIGNMENT);
        assertThat(report.bytesVerified()).isEqualTo(4096 + WritePlan.PROGRAM_ALIGNMENT);
        assertThat(report.serial().address()).isEqualTo(otp);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aSerialRecordInTheOptionBytesOrOutsideTheDevicesMemoryIsRefused() {
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(4096, 13)));
        // The L476's first option-byte block holds 40 bytes: room for a whole 32-byte program unit.
        Map<Long, ChipProfile> places = Map.of(0x1FFF_7800L, ChipProfile.STM32L476, 0x1FFF_0000L, ChipProfile.STM32F407);
        for (long address : places.keySet()) {
            SimulatedStm32 board = SimFixture.usedBoard(places.get(address), SimOptions.realistic(), clock).build();
            SerialRecordSource source = (uid, usb) -> new SerialRecord(address, new byte[] {1, 2, 3, 4}, "x");

            FlashFailure failure = catchThrowableOfType(FlashFailure.class, () -> pipeline.run(
                    new FlashRequest(image, EraseMode.SECTORS, source, null, false, false),
                    SimFixture.connector(board), FlashListener.NONE, () -> false));

            assertThat(failure.code()).as("at %x", address).isEqualTo(FailureCode.SERIAL_INVALID);
            assertThat(failure.phase()).isEqualTo(Phase.SERIALIZE);
            assertThat(failure.getMessage()).isEqualTo(String.format("the serial record (4 bytes at 0x%08X) is not "
                    + "in the device's flash or OTP", address));
        }
    }

    @Test
    void aSerialRecordThatEndsWithItsSectorErasesThatSectorOnly() {
        ChipProfile profile = ChipProfile.STM32F407;
        SimulatedStm32 board = SimFixture.usedBoard(profile, SimOptions.realistic(), clock).build();
        Sector serialSector = profile.flashSectors().get(6);
        Sector next = profile.flashSectors().get(7);
        byte[] text = "FL-0000000000000000000000000001".getBytes(StandardCharsets.US_ASCII);
        long address = serialSector.end() - text.length;
        SerialRecordSource source = (uid, usb) -> new SerialRecord(address, text, "FL-1");
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(4096, 14)));

        FlashReport report = pipeline.run(new FlashRequest(image, EraseMode.SECTORS, source, null, false, false),
                SimFixture.connector(board), FlashListener.NONE, () -> false);

        assertThat(board.memory(address, text.length)).isEqualTo(text);
        assertThat(report.bytesErased()).isEqualTo(16 * 1024 + serialSector.size());
        int nextOffset = (int) (next.start() - profile.flash().base());
        assertThat(board.memory(next.start(), 64)).as("the sector after it keeps the old program")
                .isEqualTo(Arrays.copyOfRange(SimFixture.oldContent(profile), nextOffset, nextOffset + 64));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void writeAndVerifyProgressCountsOnAcrossTheRunsOfTheImage() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32F407, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(5000, 15)),
                new Segment(0x0800_8000L, SimFixture.random(3000, 16)));
        long total = 5024 + 3008;
        Map<Phase, List<List<Long>>> progress = new EnumMap<>(Phase.class);
        FlashListener listener = new FlashListener() {
            @Override
            public void progress(Phase phase, long bytesDone, long bytesTotal) {
                progress.computeIfAbsent(phase, p -> new ArrayList<>()).add(List.of(bytesDone, bytesTotal));
            }
        };

        pipeline.run(SimFixture.request(image), SimFixture.connector(board), listener, () -> false);

        List<List<Long>> blocks = List.of(List.of(2048L, total), List.of(4096L, total), List.of(5024L, total),
                List.of(5024L + 2048, total), List.of(total, total));
        assertThat(progress.get(Phase.WRITE)).isEqualTo(blocks);
        assertThat(progress.get(Phase.VERIFY)).isEqualTo(blocks);

        progress.clear();
        pipeline.run(SimFixture.request(image), SimFixture.connector(board), listener, () -> false);

        assertThat(progress.get(Phase.WRITE)).as("a re-flash that writes nothing still reports WRITE")
                .containsExactly(List.of(0L, 0L));
        assertThat(progress.get(Phase.VERIFY)).isEqualTo(blocks);
    }

    @Test
    void aRunWithoutListenerOrCancelFlagPassesAndLeavesTheBoardInDfuIdle() {
        SimulatedStm32 board = SimFixture.usedBoard(ChipProfile.STM32F407, SimOptions.realistic(), clock).build();
        FirmwareImage image = SimFixture.image(new Segment(0x0800_0000L, SimFixture.random(4096, 17)));

        FlashReport report = pipeline.run(SimFixture.request(image), SimFixture.connector(board), null, null);

        assertThat(report.bytesVerified()).isEqualTo(4096);
        assertThat(board.memory(0x0800_0000L, 4096)).isEqualTo(image.segments().get(0).data());
        assertThat(board.dfuState()).as("handed over where the next host may SET_INTERFACE")
                .isEqualTo(DfuState.DFU_IDLE);
        assertThat(board.violations()).isEmpty();
    }
}
