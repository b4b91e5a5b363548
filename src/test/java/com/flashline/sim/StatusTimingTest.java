package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.StallException;
import com.flashline.dfu.TransferTimeoutException;
import com.flashline.dfu.VirtualClock;
import com.flashline.sim.ProtocolViolation.Kind;
import com.flashline.sim.SimOptions.StatusTiming;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusTimingTest {

    private static final long SECTOR_5 = 0x0802_0000L; // a 128 KiB sector of the F407: 2 s typical erase at x8
    private final VirtualClock clock = new VirtualClock();

    private SimulatedStm32 board(StatusTiming timing) {
        return SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .options(SimOptions.realistic().withStatusTiming(timing).withStallsWhileBusy(2)).build();
    }

    @Test
    void accurateReportsTheRealEraseTimeAndIsDoneWhenItElapses() {
        SimulatedStm32 board = board(StatusTiming.ACCURATE);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.dnload(0, RawDfu.addressCommand(0x41, SECTOR_5));
        DfuStatus busy = dfu.getStatus();
        assertThat(busy.state()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThat(busy.pollTimeoutMillis()).isEqualTo(2000);
        dfu.sleep(busy.pollTimeoutMillis());
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void pollingBeforeBwPollTimeoutIsLogged() {
        SimulatedStm32 board = board(StatusTiming.ACCURATE);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.dnload(0, RawDfu.addressCommand(0x41, SECTOR_5));
        dfu.getStatus();
        DfuStatus early = dfu.getStatus();
        assertThat(early.state()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThat(early.pollTimeoutMillis()).isBetween(1990, 1999); // the remaining time
        assertThat(board.violations()).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo(Kind.POLLED_TOO_EARLY);
            assertThat(v.request()).isEqualTo(DfuRequest.GETSTATUS);
            assertThat(v.state()).isEqualTo(DfuState.DFU_DNBUSY);
        });
        dfu.sleep(early.pollTimeoutMillis());
        assertThat(dfu.getStatus().state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
        assertThat(board.violations()).hasSize(1);
    }

    @Test
    void understatedTimeoutMakesAPatientHostPollManyTimesWithoutViolations() {
        SimulatedStm32 board = board(StatusTiming.UNDERSTATED);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.dnload(0, RawDfu.addressCommand(0x41, SECTOR_5));
        DfuStatus first = dfu.getStatus();
        assertThat(first.pollTimeoutMillis()).isEqualTo(5);
        dfu.sleep(5);
        DfuStatus again = dfu.getStatus();
        assertThat(again.state()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThat(again.pollTimeoutMillis()).isEqualTo(5);
        dfu.sleep(again.pollTimeoutMillis());
        assertThat(dfu.pollUntilDone().state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
        assertThat(board.requestCount(DfuRequest.GETSTATUS)).isGreaterThan(300);
        assertThat(clock.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void holdBlocksTheSecondGetStatusOnTheClockUntilTheEraseIsDone() {
        SimulatedStm32 board = board(StatusTiming.HOLD);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.dnload(0, RawDfu.addressCommand(0x41, SECTOR_5));
        DfuStatus first = dfu.getStatus();
        assertThat(first.state()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThat(first.pollTimeoutMillis()).isEqualTo(5);
        Duration before = clock.elapsed();
        dfu.sleep(5);
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        assertThat(clock.elapsed().minus(before)).isGreaterThanOrEqualTo(Duration.ofMillis(1990));
        assertThat(board.requestCount(DfuRequest.GETSTATUS)).isEqualTo(2);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aHoldLongerThanTheTransferTimeoutTimesOutAndTheDeviceStaysBusy() {
        SimulatedStm32 board = board(StatusTiming.HOLD);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.dnload(0, RawDfu.addressCommand(0x41, SECTOR_5));
        dfu.getStatus();
        dfu.sleep(5);
        assertThatThrownBy(() -> dfu.transport.controlIn(DfuRequest.GETSTATUS.setup(0, 0, 6), Duration.ofMillis(200)))
                .isInstanceOf(TransferTimeoutException.class);
        assertThat(board.dfuState()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThat(dfu.getStatus().state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
    }

    @Test
    void stallWhileBusyStallsGetStatusDuringAnEraseWithoutEnteringError() {
        SimulatedStm32 board = board(StatusTiming.STALL_WHILE_BUSY);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.dnload(0, RawDfu.addressCommand(0x41, SECTOR_5));
        DfuStatus first = dfu.getStatus();
        assertThat(first.pollTimeoutMillis()).isEqualTo(5);
        dfu.sleep(5);
        assertThatThrownBy(dfu::getStatus).isInstanceOf(StallException.class);
        assertThat(board.dfuState()).isEqualTo(DfuState.DFU_DNBUSY);
        dfu.sleep(5);
        assertThatThrownBy(dfu::getStatus).isInstanceOf(StallException.class);
        dfu.sleep(5);
        DfuStatus third = dfu.getStatus();
        assertThat(third.state()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThat(third.pollTimeoutMillis()).isEqualTo(5);
        dfu.sleep(third.pollTimeoutMillis());
        assertThat(dfu.pollUntilDone()).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void stallWhileBusyOnlyStallsDuringErases() {
        SimulatedStm32 board = board(StatusTiming.STALL_WHILE_BUSY);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.setAddress(0x0800_0000L);
        dfu.dnload(2, new byte[2048]);
        DfuStatus busy = dfu.getStatus();
        assertThat(busy.pollTimeoutMillis()).isEqualTo(5); // 2048 bytes * 16 us = 32.8 ms, understated
        dfu.sleep(busy.pollTimeoutMillis());
        DfuStatus again = dfu.getStatus();
        assertThat(again.state()).isEqualTo(DfuState.DFU_DNBUSY); // answered, not stalled
        dfu.sleep(again.pollTimeoutMillis());
        assertThat(dfu.pollUntilDone().state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void timingModelFollowsTheDatasheetsAndTheScale() {
        TimingModel f4 = new TimingModel(ChipProfile.STM32F407, SimOptions.realistic());
        // x8, the parallelism of the F4 ROM
        assertThat(f4.eraseTime(ChipProfile.STM32F407.flashSectors().get(0))).isEqualTo(Duration.ofMillis(400));
        assertThat(f4.eraseTime(ChipProfile.STM32F407.flashSectors().get(4))).isEqualTo(Duration.ofMillis(1200));
        assertThat(f4.eraseTime(ChipProfile.STM32F407.flashSectors().get(11))).isEqualTo(Duration.ofSeconds(2));
        assertThat(f4.massEraseTime()).isEqualTo(Duration.ofSeconds(16));
        assertThat(f4.programTime(2048)).isEqualTo(Duration.ofNanos(2048 * 16_000L));
        assertThat(f4.transferTime(2048)).isEqualTo(Duration.ofNanos(1_000_000 + 2 * 820_000));
        assertThat(f4.transferTime(0)).isEqualTo(Duration.ofMillis(1));

        TimingModel l4 = new TimingModel(ChipProfile.STM32L476, SimOptions.realistic());
        assertThat(l4.programTime(2048)).isEqualTo(Duration.ofNanos(256 * 81_690L));
        assertThat(l4.programTime(9)).isEqualTo(Duration.ofNanos(2 * 81_690L));

        TimingModel half = new TimingModel(ChipProfile.STM32F407, SimOptions.defaults().withTimeScale(0.5));
        assertThat(half.massEraseTime()).isEqualTo(Duration.ofSeconds(8));
        TimingModel instant = new TimingModel(ChipProfile.STM32F407, SimOptions.defaults());
        assertThat(instant.massEraseTime()).isZero();
        assertThat(instant.transferTime(2048)).isZero();

        assertThat(TimingModel.pollTimeoutMillis(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(TimingModel.pollTimeoutMillis(Duration.ZERO)).isZero();
        assertThat(TimingModel.pollTimeoutMillis(Duration.ofDays(1))).isEqualTo(0xFF_FFFF);
    }

    @Test
    void transfersTakeModelTimeOnTheClock() {
        SimulatedStm32 board = board(StatusTiming.ACCURATE);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        Duration before = clock.elapsed();
        dfu.upload(2, 2048);
        assertThat(clock.elapsed().minus(before)).isEqualTo(board.timing().transferTime(2048));
    }

    @Test
    void rejectsNonsenseOptions() {
        assertThatThrownBy(() -> SimOptions.defaults().withTimeScale(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimOptions.defaults().withTimeScale(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimOptions.defaults().withStallsWhileBusy(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
