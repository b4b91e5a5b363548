package com.flashline.usb.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.DfuRequest;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import com.flashline.usb.emulation.EmulatedBus;
import com.flashline.usb.emulation.RequestLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * FlashLine's real USB path (usb4java, libusb, the umockdev bridge) against an emulated STM32F407 in
 * its real-ROM timing: the ROM reports fixed bwPollTimeouts and holds a GETSTATUS sent while its
 * flash operation runs. Polled as the ROM table says, every erase and every block is waited for
 * inside one held GETSTATUS sent right after the busy answer; polled spec-literally, the host waits
 * the reported times and only an erase longer than that is still held.
 */
class HeldGetStatusOverUmockdevTest {

    private static final ChipProfile F407 = ChipProfile.STM32F407;
    private static final long FLASH = F407.flash().base();
    /** Sector 0 (16 KiB): one erase, eight 2 KiB blocks. */
    private static final int IMAGE_LENGTH = 16 * 1024;
    /**
     * Three times slower than the datasheet: a block programs in 98 ms and the ROM reports 312 ms,
     * so the held polls do not depend on how fast the machine runs the host.
     */
    private static final double TIME_SCALE = 3;

    @TempDir
    Path dir;
    @RegisterExtension
    final EmulatedBus bus = new EmulatedBus();

    private SimulatedStm32 usedBoard(long seed) {
        byte[] old = new byte[IMAGE_LENGTH];
        new Random(seed).nextBytes(old);
        return SimulatedStm32.builder(F407).options(SimOptions.realistic().withTimeScale(TIME_SCALE)).seed(seed)
                .content(FLASH, old).build();
    }

    private Path image() throws IOException {
        byte[] image = new byte[IMAGE_LENGTH];
        new Random(0xF4).nextBytes(image);
        return Files.write(dir.resolve("image.bin"), image);
    }

    @Test
    void polledAsTheRomTableSaysEveryEraseAndBlockIsWaitedForInAHeldGetStatus() throws IOException {
        SimulatedStm32 board = usedBoard(41);
        RequestLog log = new RequestLog();
        bus.bridge().plugBoard("1-3", board, log);
        Path image = image();

        CommandRun flash = FlashProbe.flash(bus.bridge().environment(), "1-3", image);

        assertThat(flash.result()).as("%s", flash).startsWith("result ok flash").endsWith("policy=HELD_STATUS");
        assertThat(board.memory(FLASH, IMAGE_LENGTH)).isEqualTo(Files.readAllBytes(image));
        assertThat(board.violations()).isEmpty();
        // the sector erase and the eight blocks, each in the GETSTATUS right after its busy answer
        assertThat(board.heldStatusRequests()).isEqualTo(1 + 8);
        assertThat(extraStatusRequests(log)).isZero();
    }

    @Test
    void polledSpecLiterallyTheHostWaitsTheReportedTimesAndOnlyTheLongEraseIsStillHeld() throws IOException {
        SimulatedStm32 board = usedBoard(42);
        RequestLog log = new RequestLog();
        bus.bridge().plugBoard("1-4", board, log);
        Path image = image();

        CommandRun flash = FlashProbe.flash(bus.bridge().environment(), "1-4", image, "spec-literal");

        assertThat(flash.result()).as("%s", flash).startsWith("result ok flash").endsWith("policy=SPEC_LITERAL");
        assertThat(board.memory(FLASH, IMAGE_LENGTH)).isEqualTo(Files.readAllBytes(image));
        assertThat(board.violations()).isEmpty();
        // 1.2 s of erase against 300 ms reported: held; 98 ms blocks against 312 ms: long done
        assertThat(board.heldStatusRequests()).isEqualTo(1);
        assertThat(extraStatusRequests(log)).isZero();
    }

    /**
     * GETSTATUS requests beyond the protocol minimum: two per DNLOAD (the one that executes it and
     * the one that gets its outcome) and the two of CONNECT (before the Get command, and after its
     * short answer).
     */
    private static long extraStatusRequests(RequestLog log) {
        List<RequestLog.Entry> entries = log.entries();
        long downloads = entries.stream().filter(e -> e.request() == DfuRequest.DNLOAD).count();
        long statuses = entries.stream().filter(e -> e.request() == DfuRequest.GETSTATUS).count();
        return statuses - 2 * downloads - 2;
    }
}
