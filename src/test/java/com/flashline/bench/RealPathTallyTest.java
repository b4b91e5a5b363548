package com.flashline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuSeDevice;
import com.flashline.dfu.TransferProgress;
import com.flashline.dfu.VirtualClock;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import com.flashline.usb.emulation.RequestLog;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RealPathTallyTest {

    private static final long FLASH = ChipProfile.STM32F407.flash().base();

    private final VirtualClock clock = new VirtualClock();
    private final SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
            .options(SimOptions.realistic()).seed(7).build();
    private final RequestLog log = new RequestLog();
    private final DfuSeDevice device = new DfuSeDevice(log.apply(board.connect()), clock, DfuOptions.DEFAULTS);

    @Test
    void countsEachKindOfRequestOnceAndSplitsDownloadsIntoCommandsAndData() {
        device.eraseSector(FLASH);
        device.write(FLASH, new byte[4096], 0, 4096, TransferProgress.NONE);
        device.abort();
        device.upload(2, 2048);

        RealPathTally tally = RealPathTally.of(log.entries(), board);

        assertThat(tally.count("total")).isEqualTo(log.size());
        assertThat(tally.count("DNLOAD.erase")).isEqualTo(1);
        assertThat(tally.count("DNLOAD.data")).isEqualTo(2);
        assertThat(tally.count("DNLOAD.setAddress")).isPositive();
        assertThat(tally.count("DNLOAD")).isEqualTo(
                tally.count("DNLOAD.erase") + tally.count("DNLOAD.data") + tally.count("DNLOAD.setAddress"));
        assertThat(tally.count("UPLOAD")).isEqualTo(1);
        assertThat(tally.count("ABORT")).isEqualTo(1);
        assertThat(tally.count("GETSTATUS")).isEqualTo(log.entries().stream()
                .filter(e -> e.request() == DfuRequest.GETSTATUS).count());
        assertThat(tally.count("failed")).isZero();
        assertThat(RealPathTally.KINDS).containsAll(tally.counts().keySet());
    }

    @Test
    void theDeviceFloorHoldsTheEraseAndProgrammingTimesAndNeverExceedsTheSessionsClockTime() {
        Duration start = clock.elapsed();
        device.eraseSector(FLASH);
        device.write(FLASH, new byte[4096], 0, 4096, TransferProgress.NONE);
        Duration session = clock.elapsed().minus(start);

        Duration floor = RealPathTally.of(log.entries(), board).deviceFloor();

        Duration eraseAndProgram = board.timing().eraseTime(board.flashSectors().get(0))
                .plus(board.timing().programTime(4096));
        Duration leastTransferCost = board.timing().transferTime(0).multipliedBy(log.size());
        assertThat(floor).isGreaterThanOrEqualTo(eraseAndProgram.plus(leastTransferCost));
        // The host waits at least as long as the board is busy, so the session cannot be shorter.
        assertThat(floor).isLessThanOrEqualTo(session);
    }

    @Test
    void aMassEraseCountsAsAnEraseWithTheMassEraseTime() {
        device.massErase();

        RealPathTally tally = RealPathTally.of(log.entries(), board);

        assertThat(tally.count("DNLOAD.erase")).isEqualTo(1);
        assertThat(tally.deviceFloor()).isGreaterThanOrEqualTo(board.timing().massEraseTime());
    }
}
