package com.flashline.usb.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.support.Prerequisites;
import com.flashline.dfu.DfuState;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.ReadOptions;
import com.flashline.firmware.Segment;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.ProtocolViolation;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimOptions.BlockAddressing;
import com.flashline.sim.SimulatedStm32;
import com.flashline.usb.emulation.RequestLog;
import com.flashline.usb.emulation.UmockdevBridge;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * dfu-util 0.11 and FlashLine on the same emulated boards: what one writes, the other reads back.
 * FlashLine runs as a child JVM ({@link FlashProbeMain}) through its real usb4java path; dfu-util
 * is the packaged binary. Both see the simulated F407 bootloaders through the umockdev bridge.
 *
 * <p>Every test checks that FlashLine's part of a session logged no protocol violation on the
 * simulator; dfu-util's part is checked separately and its quirks are asserted as what they are.
 */
class DfuUtilInteropTest {

    private static final ChipProfile F407 = ChipProfile.STM32F407;
    private static final long FLASH = F407.flash().base();
    private static final int TRANSFER_SIZE = F407.functionalDescriptor().transferSize();
    /** Not a multiple of wTransferSize: two full blocks and a 904-byte tail. */
    private static final int ODD_LENGTH = 2 * TRANSFER_SIZE + 904;
    /** What a board held before the test: erasing must be visible. */
    private static final int OLD_CONTENT_LENGTH = 256 * 1024;

    @TempDir
    Path dir;
    private UmockdevBridge bridge;

    @BeforeEach
    void startBridge() {
        Prerequisites.require(UmockdevBridge.unavailableReason().map(reason -> "umockdev bridge unavailable: " + reason));
        Prerequisites.require(DfuUtil.unavailableReason());
        bridge = UmockdevBridge.start();
    }

    @AfterEach
    void stopBridge() {
        if (bridge != null) {
            bridge.close();
        }
    }

    // ------------------------------------------------------------------ listing

    @Test
    void dfuUtilListsEveryAltSettingAndSerialOfBoardsOfSeveralFamilies() {
        List<SimulatedStm32> boards = List.of(
                SimulatedStm32.builder(ChipProfile.STM32F407).seed(11).build(),
                SimulatedStm32.builder(ChipProfile.STM32L476).seed(12).build(),
                SimulatedStm32.builder(ChipProfile.STM32F072).seed(13).build());
        List<String> ports = List.of("1-1", "1-2.3", "2-4");
        for (int i = 0; i < boards.size(); i++) {
            bridge.plugBoard(ports.get(i), boards.get(i));
        }

        CommandRun list = DfuUtil.run(bridge.environment(), "-l");

        assertThat(list.exitCode()).as("%s", list).isZero();
        List<String> found = list.lines().stream().filter(l -> l.startsWith("Found DFU")).toList();
        int altCount = boards.stream().mapToInt(b -> b.profile().altSettingNames().size()).sum();
        assertThat(found).as("%s", list).hasSize(altCount);
        for (int i = 0; i < boards.size(); i++) {
            SimulatedStm32 board = boards.get(i);
            ChipProfile profile = board.profile();
            List<String> names = profile.altSettingNames();
            for (int alt = 0; alt < names.size(); alt++) {
                List<String> fragments = List.of(
                        String.format("[%04x:%04x] ver=%04x", profile.vendorId(), profile.productId(), profile.bcdDevice()),
                        "path=\"" + ports.get(i) + "\"", "alt=" + alt + ",", "name=\"" + names.get(alt) + "\"",
                        "serial=\"" + board.serialNumber() + "\"");
                assertThat(found).as("%s alt %d on %s", profile.name(), alt, ports.get(i))
                        .filteredOn(l -> fragments.stream().allMatch(l::contains)).hasSize(1);
            }
        }
    }

    // ------------------------------------------------------------------ dfu-util writes, FlashLine reads

    @Test
    void aProgramDownloadedByDfuUtilWithLeaveIsReadBackByFlashLine() throws Exception {
        SimulatedStm32 board = usedBoard(21, BlockAddressing.REQUEST_LENGTH);
        RequestLog log = new RequestLog();
        bridge.plugBoard("1-3", board, log);
        Path program = corpus("blinky-flash.bin");
        byte[] image = Files.readAllBytes(program);

        CommandRun download = DfuUtil.run(bridge.environment(), "-a", "0", "-s", "0x08000000:leave", "-D",
                program.toString());

        // The ROM answers the GETSTATUS after the zero-length DNLOAD with dfuMANIFEST, then jumps.
        assertThat(download.exitCode()).as("%s", download).isZero();
        assertThat(download.output()).contains("File downloaded successfully", "Submitting leave request...",
                "Transitioning to dfuMANIFEST state");
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.APPLICATION);
        assertThat(board.lastJump()).isPresent();
        assertThat(RequestLog.memoryRequests(log.entries())).containsExactly(
                "DNLOAD wValue=0 wLength=5 cmd=4100000008",   // erase the 16 KiB sector at 0x08000000
                "DNLOAD wValue=0 wLength=5 cmd=2100000008",   // pointer
                "DNLOAD wValue=2 wLength=" + image.length,    // the whole program in one block
                "DNLOAD wValue=0 wLength=5 cmd=2100000008",   // leave: pointer to the vector table
                "DNLOAD wValue=2 wLength=0");                 // leave: zero-length DNLOAD
        assertThat(board.violations()).as("dfu-util's part").isEmpty();

        board.plugIn(); // BOOT0 high and reset: back in the bootloader, enumerated again
        assertFlashLineReadsBack(board, "1-3", image);
    }

    @Test
    void onARomInItsRealTimingDfuUtilWaitsTheFixedTimesAndFlashLinePollsAtOnceAndEachReadsTheOthersImage()
            throws Exception {
        // 100 ms reported after a command, 104 ms after a block, a GETSTATUS held while the flash works
        SimulatedStm32 board = SimulatedStm32.builder(F407).seed(27).options(SimOptions.realistic()
                .withBlockAddressing(BlockAddressing.TRANSFER_SIZE)).build();
        bridge.plugBoard("1-9", board);
        byte[] first = random(4 * TRANSFER_SIZE, 27);

        CommandRun download = DfuUtil.run(bridge.environment(), "-a", "0", "-s", "0x08000000", "-D",
                write("rom-timed.bin", first).toString());
        assertThat(download.exitCode()).as("%s", download).isZero();
        assertThat(board.violations()).as("dfu-util's download").isEmpty();
        // dfu-util polled the 400 ms erase after the 100 ms it was told: that GETSTATUS was held
        assertThat(board.heldStatusRequests()).isEqualTo(1);
        assertFlashLineReadsBack(board, "1-9", first);

        byte[] second = random(4 * TRANSFER_SIZE, 28);
        flashWithFlashLine(board, "1-9", write("rom-timed-2.bin", second));
        assertThat(board.heldStatusRequests()).isEqualTo(1 + 1 + 4); // FlashLine's erase and blocks were held
        assertThat(uploadWithDfuUtil(board, second.length)).isEqualTo(second);
    }

    @ParameterizedTest
    @EnumSource(BlockAddressing.class)
    void aMassErasedMultiSectorImageFromDfuUtilIsReadBackByFlashLine(BlockAddressing addressing) throws Exception {
        SimulatedStm32 board = usedBoard(22, addressing);
        RequestLog log = new RequestLog();
        bridge.plugBoard("1-4", board, log);
        byte[] image = random(40_000, 22); // spans sectors 0, 1 and 2 of 16 KiB
        Path file = write("spanning.bin", image);

        CommandRun download = DfuUtil.run(bridge.environment(), "-a", "0", "-s", "0x08000000:mass-erase:force",
                "-D", file.toString());

        assertThat(download.exitCode()).as("%s", download).isZero();
        List<String> requests = RequestLog.memoryRequests(log.entries());
        assertThat(requests.get(0)).isEqualTo("DNLOAD wValue=0 wLength=1 cmd=41"); // mass erase, no sector erase
        assertThat(requests).filteredOn(r -> r.contains("cmd=41")).hasSize(1);
        // Every block gets its own pointer and block number 2: both address readings agree.
        assertThat(requests).filteredOn(r -> r.startsWith("DNLOAD wValue=2")).hasSize(20)
                .allMatch(r -> r.endsWith("wLength=" + TRANSFER_SIZE) || r.endsWith("wLength=" + (40_000 % TRANSFER_SIZE)));
        assertThat(requests).filteredOn(r -> r.startsWith("DNLOAD wValue=") && !r.startsWith("DNLOAD wValue=0")
                && !r.startsWith("DNLOAD wValue=2")).isEmpty();
        List<String> all = log.entries().stream().map(Object::toString).toList();
        assertThat(all.subList(0, 2)).containsExactly("SET_INTERFACE alt=0", "GETSTATUS wValue=0 wLength=6");
        assertThat(all.subList(all.size() - 2, all.size())).containsExactly("ABORT wValue=0 wLength=0",
                "GETSTATUS wValue=0 wLength=6");
        assertThat(board.violations()).as("dfu-util's part").isEmpty();
        assertThat(board.memory(FLASH + image.length, OLD_CONTENT_LENGTH - image.length))
                .as("mass erase cleared the old program beyond the image").containsOnly((byte) 0xFF);

        assertFlashLineReadsBack(board, "1-4", image);
    }

    // ------------------------------------------------------------------ FlashLine writes, dfu-util reads

    @Test
    void anImageFlashedByFlashLineIsUploadedIdenticallyByDfuUtilUnderTransferSizeAddressing() throws Exception {
        SimulatedStm32 board = usedBoard(31, BlockAddressing.TRANSFER_SIZE);
        RequestLog log = new RequestLog();
        bridge.plugBoard("1-5", board, log);
        byte[] image = random(ODD_LENGTH, 31);

        flashWithFlashLine(board, "1-5", write("odd.bin", image));
        int mark = log.size();
        byte[] uploaded = uploadWithDfuUtil(board, ODD_LENGTH);

        assertThat(RequestLog.memoryRequests(log.since(mark))).containsExactly(
                "DNLOAD wValue=0 wLength=5 cmd=2100000008",
                "UPLOAD wValue=2 wLength=2048",
                "UPLOAD wValue=3 wLength=2048",
                "UPLOAD wValue=4 wLength=904");
        assertThat(uploaded).isEqualTo(image);
        assertFlashLineReadsBack(board, "1-5", image);
    }

    @Test
    void underRequestLengthAddressingDfuUtilReadsItsShortLastBlockFromTheWrongAddress() throws Exception {
        SimulatedStm32 board = usedBoard(32, BlockAddressing.REQUEST_LENGTH);
        RequestLog log = new RequestLog();
        bridge.plugBoard("1-6", board, log);
        byte[] image = random(ODD_LENGTH, 32);

        flashWithFlashLine(board, "1-6", write("odd.bin", image));
        int mark = log.size();
        byte[] uploaded = uploadWithDfuUtil(board, ODD_LENGTH);

        // dfu-util numbers the tail block 4 after one pointer; a ROM that multiplies by this
        // request's wLength reads (4 - 2) * 904 bytes past the pointer instead of 2 * 2048.
        int tail = ODD_LENGTH - 2 * TRANSFER_SIZE;
        assertThat(RequestLog.memoryRequests(log.since(mark))).last().isEqualTo("UPLOAD wValue=4 wLength=" + tail);
        assertThat(Arrays.mismatch(uploaded, image)).isEqualTo(2 * TRANSFER_SIZE);
        assertThat(Arrays.copyOf(uploaded, 2 * TRANSFER_SIZE)).isEqualTo(Arrays.copyOf(image, 2 * TRANSFER_SIZE));
        assertThat(Arrays.copyOfRange(uploaded, 2 * TRANSFER_SIZE, ODD_LENGTH))
                .isEqualTo(board.memory(FLASH + 2L * tail, tail))
                .isEqualTo(Arrays.copyOfRange(image, 2 * tail, 3 * tail));
        assertThat(board.violations()).as("dfu-util's upload is legal DFU, just misaddressed").isEmpty();

        // FlashLine gives the short block its own pointer and block number 2: right under both readings.
        mark = log.size();
        assertFlashLineReadsBack(board, "1-6", image);
        assertThat(RequestLog.memoryRequests(log.since(mark))).containsExactly(
                "DNLOAD wValue=0 wLength=5 cmd=2100000008",
                "UPLOAD wValue=2 wLength=2048",
                "UPLOAD wValue=3 wLength=2048",
                "DNLOAD wValue=0 wLength=5 cmd=2100100008",
                "UPLOAD wValue=2 wLength=" + tail);
    }

    // ------------------------------------------------------------------ one DfuSe file, both tools

    @Test
    void theCorpusDfuSeFileFlashesTheSameThroughBothTools() throws Exception {
        Path dfu = corpus("blinky-alt.dfu"); // target 0: flash at 0x08000000, target 1: option bytes
        CommandRun download = flashBothAndCompare(dfu);

        // With -a 0 dfu-util knows only alt 0, so it skips the option-byte target of alt 1.
        assertThat(download.output()).contains("Image for alternate setting 1",
                "dfu-util: No alternate setting 1 (skipping elements)");
    }

    @Test
    void aTwoElementDfuSeFileFromDfusePackFlashesTheSameThroughBothTools() throws Exception {
        Path first = corpus("blinky-flash.bin");
        Path second = write("second.bin", random(3000, 41));
        Path dfu = dir.resolve("two-elements.dfu");
        CommandRun pack = DfuUtil.dfusePack("-b", "0x08000000:" + first, "-b", "0x08020000:" + second,
                "-D", "0x0483:0xdf11", dfu.toString());
        assertThat(pack.exitCode()).as("%s", pack).isZero();

        flashBothAndCompare(dfu);
    }

    /**
     * dfu-util -D on one board, FlashLine's pipeline (image from {@link FirmwareReader}) on another
     * board that held the same old program: both boards end up identical over the whole area that
     * held it, image ranges and erased sectors alike.
     */
    private CommandRun flashBothAndCompare(Path dfu) throws Exception {
        SimulatedStm32 byDfuUtil = usedBoard(51, BlockAddressing.REQUEST_LENGTH);
        SimulatedStm32 byFlashLine = usedBoard(52, BlockAddressing.REQUEST_LENGTH);
        bridge.plugBoard("1-7", byDfuUtil);
        bridge.plugBoard("1-8", byFlashLine);
        byte[] optionBytesBefore = byDfuUtil.memory(0x1FFF_C000L, 16);

        CommandRun download = DfuUtil.run(bridge.environment(), "-p", "1-7", "-a", "0", "-D", dfu.toString());
        assertThat(download.exitCode()).as("%s", download).isZero();
        assertThat(byDfuUtil.violations()).as("dfu-util's part").isEmpty();
        flashWithFlashLine(byFlashLine, "1-8", dfu, "alt=0");

        FirmwareImage image = FirmwareReader.read(dfu, ReadOptions.defaults());
        List<Segment> flashSegments = image.segments().stream()
                .filter(s -> s.alternateSetting().orElse(0) == 0).toList();
        assertThat(flashSegments).isNotEmpty();
        for (Segment s : flashSegments) {
            assertThat(byDfuUtil.memory(s.address(), s.length())).as("dfu-util at 0x%08X", s.address()).isEqualTo(s.data());
            assertThat(byFlashLine.memory(s.address(), s.length())).as("FlashLine at 0x%08X", s.address()).isEqualTo(s.data());
        }
        byte[] dfuUtilFlash = byDfuUtil.memory(FLASH, OLD_CONTENT_LENGTH);
        byte[] flashLineFlash = byFlashLine.memory(FLASH, OLD_CONTENT_LENGTH);
        assertThat(Arrays.mismatch(dfuUtilFlash, flashLineFlash)).as("first differing offset").isEqualTo(-1);
        assertThat(byDfuUtil.memory(0x1FFF_C000L, 16)).as("option bytes untouched").isEqualTo(optionBytesBefore);
        assertThat(byFlashLine.memory(0x1FFF_C000L, 16)).isEqualTo(optionBytesBefore);
        return download;
    }

    // ------------------------------------------------------------------ helpers

    /** A board in the bootloader whose first 256 KiB of flash hold an old program. */
    private static SimulatedStm32 usedBoard(long seed, BlockAddressing addressing) {
        byte[] old = new byte[OLD_CONTENT_LENGTH];
        for (int i = 0; i < old.length; i++) {
            old[i] = (byte) (i * 7 + (i >>> 11));
            if (old[i] == (byte) 0xFF) {
                old[i] = 0x5A;
            }
        }
        return SimulatedStm32.builder(F407).seed(seed)
                .options(SimOptions.defaults().withTimeScale(0).withBlockAddressing(addressing))
                .content(FLASH, old).build();
    }

    private void flashWithFlashLine(SimulatedStm32 board, String port, Path file, String... flags) {
        int mark = board.violations().size();
        CommandRun flash = FlashProbe.flash(bridge.environment(), port, file, flags);
        assertThat(flash.result()).as("%s", flash).startsWith("result ok flash");
        assertThat(flash.exitCode()).isZero();
        assertNoViolationsSince(board, mark, "FlashLine's flash");
        assertThat(board.dfuState()).as("handed over idle for the next host").isEqualTo(DfuState.DFU_IDLE);
    }

    /** FlashLine reads the image's range; compared with the image and with the board's memory. */
    private void assertFlashLineReadsBack(SimulatedStm32 board, String port, byte[] image) throws IOException {
        int mark = board.violations().size();
        Path out = dir.resolve("flashline-" + port + ".bin");
        CommandRun read = FlashProbe.read(bridge.environment(), port, FLASH, image.length, out);
        assertThat(read.result()).as("%s", read).startsWith("result ok read " + image.length);
        byte[] readBack = Files.readAllBytes(out);
        assertThat(readBack).isEqualTo(image).isEqualTo(board.memory(FLASH, image.length));
        assertNoViolationsSince(board, mark, "FlashLine's read");
    }

    private byte[] uploadWithDfuUtil(SimulatedStm32 board, int length) throws IOException {
        int mark = board.violations().size();
        Path out = dir.resolve("dfu-util-upload.bin");
        Files.deleteIfExists(out); // dfu-util refuses to overwrite
        CommandRun upload = DfuUtil.run(bridge.environment(), "-a", "0", "-s", "0x08000000:" + length, "-U",
                out.toString());
        assertThat(upload.exitCode()).as("%s", upload).isZero();
        assertNoViolationsSince(board, mark, "dfu-util's upload");
        return Files.readAllBytes(out);
    }

    private static void assertNoViolationsSince(SimulatedStm32 board, int mark, String whose) {
        List<ProtocolViolation> all = board.violations();
        assertThat(all.subList(mark, all.size())).as("protocol violations by %s", whose).isEmpty();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static Path corpus(String name) {
        try {
            return Path.of(Objects.requireNonNull(DfuUtilInteropTest.class.getResource("/firmware/" + name),
                    "no corpus file " + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
