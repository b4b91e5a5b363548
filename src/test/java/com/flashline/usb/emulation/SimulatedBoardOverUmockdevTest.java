package com.flashline.usb.emulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.support.Prerequisites;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimulatedStm32;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The STM32 bootloader simulator behind the emulated USB bus, driven through usb4java in a child JVM. */
class SimulatedBoardOverUmockdevTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Duration SLOW_RESCAN = Duration.ofMinutes(5);

    private UmockdevBridge bridge;
    private ProbeProcess probe;

    @BeforeEach
    void startBridge() {
        Prerequisites.require(UmockdevBridge.unavailableReason().map(reason -> "umockdev bridge unavailable: " + reason));
        bridge = UmockdevBridge.start();
    }

    @AfterEach
    void stop() {
        if (probe != null) {
            probe.close();
        }
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void theRomsDescriptorsAndStringsReachTheHost() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).seed(7).build();
        bridge.plugBoard("1-2", board);
        probe = ProbeProcess.start(bridge.environment(), SLOW_RESCAN);

        assertThat(probe.awaitPrefix("arrived ")).isEqualTo(String.format("arrived 1-2 %04x:%04x %04x serial=%s product=%s",
                ChipProfile.STM32F407.vendorId(), ChipProfile.STM32F407.productId(), ChipProfile.STM32F407.bcdDevice(),
                board.serialNumber(), ChipProfile.STM32F407.product()));
        assertThat(probe.call("open 1-2")).isEqualTo("ok open 1-2 serial=" + board.serialNumber() + " transfer="
                + ChipProfile.STM32F407.functionalDescriptor().transferSize() + " alts="
                + String.join("|", ChipProfile.STM32F407.altSettingNames()));
    }

    @Test
    void blocksWrittenThroughUsbLandInTheBoardsFlashAndReadBack() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).seed(8).build();
        bridge.plugBoard("1-3", board);
        probe = ProbeProcess.start(bridge.environment(), SLOW_RESCAN);
        probe.awaitPrefix("arrived 1-3 ");
        probe.call("open 1-3");
        probe.call("alt 1-3 0");
        byte[] block = new byte[ChipProfile.STM32F407.functionalDescriptor().transferSize()];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i % 13 == 0 ? 0x5A : i);
        }
        long flash = ChipProfile.STM32F407.flash().base();

        assertThat(probe.call("dnload 1-3 2 " + HEX.formatHex(block))).isEqualTo("ok dnload 1-3");
        assertThat(statusOf(probe.call("getstatus 1-3")).state()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThat(statusOf(probe.call("getstatus 1-3")).state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
        assertThat(board.memory(flash, block.length)).isEqualTo(block);

        assertThat(probe.call("abort 1-3")).isEqualTo("ok abort 1-3");
        assertThat(probe.call("upload 1-3 2 " + block.length)).isEqualTo("ok upload 1-3 " + HEX.formatHex(block));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aBoardThatLeavesAndReenumeratesIsRemovedAndArrivesAgain() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).seed(9).build();
        bridge.plugBoard("1-4.1", board);
        probe = ProbeProcess.start(bridge.environment(), SLOW_RESCAN);
        probe.awaitPrefix("arrived 1-4.1 ");

        board.unplug();
        assertThat(probe.awaitPrefix("removed ")).isEqualTo("removed 1-4.1");
        board.plugIn();
        assertThat(probe.awaitPrefix("arrived ")).startsWith("arrived 1-4.1 ").endsWith(ChipProfile.STM32F407.product());
        assertThat(probe.call("open 1-4.1")).startsWith("ok open 1-4.1 serial=" + board.serialNumber());

        probe.send("quit");
        assertThat(probe.awaitPrefix("bye ")).isEqualTo("bye DOWN usbThreads=0");
    }

    private static DfuStatus statusOf(String line) {
        return DfuStatus.decode(HEX.parseHex(line.substring(line.lastIndexOf(' ') + 1)));
    }
}
