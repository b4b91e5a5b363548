package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.StallException;
import com.flashline.dfu.VirtualClock;
import com.flashline.rom.ClearStatusOutsideError;
import com.flashline.sim.ProtocolViolation.Kind;
import com.flashline.sim.SimOptions.StatusTiming;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The simulated ROMs in their default timing mode, {@link StatusTiming#ROM}: what the ROM behaviour
 * table records for the family, on a virtual clock.
 */
class RomTimingTest {

    private static final long FLASH = 0x0800_0000L;
    private static final long H7_BANK_2 = 0x0810_0000L;
    private final VirtualClock clock = new VirtualClock();

    private SimulatedStm32 board(ChipProfile profile, SimOptions options) {
        return SimulatedStm32.builder(profile).clock(clock).options(options).build();
    }

    private Duration since(Duration start) {
        return clock.elapsed().minus(start);
    }

    @Test
    void theF4RomReportsItsFixedTimesWhateverTheOperationTakes() {
        SimulatedStm32 board = board(ChipProfile.STM32F407, SimOptions.realistic());
        RawDfu dfu = new RawDfu(board.connect(), clock);

        dfu.dnload(0, RawDfu.addressCommand(0x21, FLASH));
        assertThat(dfu.getStatus()).isEqualTo(new DfuStatus(DfuStatusCode.OK, 100, DfuState.DFU_DNBUSY, 0));
        dfu.sleep(100);
        assertThat(dfu.getStatus().state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);

        dfu.dnload(2, new byte[2048]); // 32.8 ms of programming at x8
        assertThat(dfu.getStatus()).isEqualTo(new DfuStatus(DfuStatusCode.OK, 104, DfuState.DFU_DNBUSY, 0));
        dfu.sleep(104);
        assertThat(dfu.getStatus().state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);

        dfu.dnload(0, new byte[] {0x41}); // mass erase: 16 s
        assertThat(dfu.getStatus().pollTimeoutMillis()).isEqualTo(100);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void theF4RomHoldsAnEarlyGetStatusUntilTheOperationEndsWithoutCountingItAViolation() {
        SimulatedStm32 board = board(ChipProfile.STM32F407, SimOptions.realistic());
        RawDfu dfu = new RawDfu(board.connect(), clock);
        Duration transfer = board.timing().transferTime(6);

        dfu.dnload(2, new byte[2048]);
        dfu.getStatus();
        Duration polled = clock.elapsed();
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        // answered a transfer time after the 32.768 ms of programming that began with the first answer
        assertThat(since(polled)).isEqualTo(Duration.ofNanos(32_768_000).plus(transfer));

        dfu.dnload(0, RawDfu.addressCommand(0x41, 0x0802_0000L)); // a 128 KiB sector: 2 s
        dfu.getStatus();
        polled = clock.elapsed();
        assertThat(dfu.getStatus().state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
        assertThat(since(polled)).isEqualTo(Duration.ofSeconds(2).plus(transfer));
        assertThat(board.requestCount(DfuRequest.GETSTATUS)).isEqualTo(4);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void theFixedTimesScaleWithTheTimeScale() {
        SimulatedStm32 board = board(ChipProfile.STM32F407, SimOptions.defaults().withTimeScale(0.1));
        RawDfu dfu = new RawDfu(board.connect(), clock);

        dfu.dnload(0, RawDfu.addressCommand(0x21, FLASH));
        assertThat(dfu.getStatus().pollTimeoutMillis()).isEqualTo(10);
        dfu.sleep(10);
        dfu.getStatus();
        dfu.dnload(2, new byte[2048]);
        assertThat(dfu.getStatus().pollTimeoutMillis()).isEqualTo(11); // 10.4 ms, rounded up
    }

    @Test
    void theExactVariantReportsTheOperationsOwnTime() {
        SimulatedStm32 board = board(ChipProfile.STM32F407, SimOptions.realistic().withStatusTiming(StatusTiming.ACCURATE));
        RawDfu dfu = new RawDfu(board.connect(), clock);

        dfu.dnload(0, RawDfu.addressCommand(0x21, FLASH));
        assertThat(dfu.getStatus().pollTimeoutMillis()).isZero();
        dfu.getStatus();
        dfu.dnload(2, new byte[2048]);
        assertThat(dfu.getStatus().pollTimeoutMillis()).isEqualTo(33);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void theL4RomReportsTooShortATimeoutAndStallsGetStatusWhileErasing() {
        SimulatedStm32 board = board(ChipProfile.STM32L476, SimOptions.realistic());
        RawDfu dfu = new RawDfu(board.connect(), clock);

        dfu.dnload(0, RawDfu.addressCommand(0x41, FLASH)); // 22.02 ms
        assertThat(dfu.getStatus().pollTimeoutMillis()).isEqualTo(5);
        dfu.sleep(5);
        assertThatThrownBy(dfu::getStatus).isInstanceOf(StallException.class);
        assertThat(board.dfuState()).isEqualTo(DfuState.DFU_DNBUSY);
        dfu.sleep(20);
        assertThat(dfu.getStatus().state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void anH7RomWithTheWedgeStaysBusyAfterASecondBankEraseUntilTwoClearStatus() {
        SimulatedStm32 board = board(ChipProfile.STM32H743, SimOptions.realistic().withWedges(true));
        RawDfu dfu = new RawDfu(board.connect(), clock);
        byte[] old = RawDfu.pattern(64, 3);
        assertThat(dfu.writeAt(H7_BANK_2, old).status()).isEqualTo(DfuStatusCode.OK);

        dfu.dnload(0, RawDfu.addressCommand(0x41, H7_BANK_2)); // 1.1 s
        DfuStatus busy = dfu.getStatus();
        assertThat(busy).isEqualTo(new DfuStatus(DfuStatusCode.OK, 1100, DfuState.DFU_DNBUSY, 0));
        for (int i = 0; i < 5; i++) {
            dfu.sleep(1100);
            assertThat(dfu.getStatus()).isEqualTo(busy);
        }
        dfu.sleep(1100);
        dfu.clrStatus();
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_UNKNOWN, DfuState.DFU_ERROR));
        dfu.clrStatus();
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_IDLE));

        assertThat(board.memory(H7_BANK_2, 64)).containsOnly(0xFF); // the erase itself was done
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void anH7EraseInTheFirstBankDoesNotWedge() {
        SimulatedStm32 board = board(ChipProfile.STM32H743, SimOptions.realistic().withWedges(true));
        RawDfu dfu = new RawDfu(board.connect(), clock);

        assertThat(dfu.erase(FLASH)).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        assertThat(clock.elapsed()).isLessThan(Duration.ofMillis(1200));
    }

    @Test
    void withoutTheOptionAnH7SecondBankEraseEndsNormally() {
        SimulatedStm32 board = board(ChipProfile.STM32H743, SimOptions.realistic());
        RawDfu dfu = new RawDfu(board.connect(), clock);

        assertThat(dfu.erase(H7_BANK_2)).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
    }

    @Test
    void aC5StyleRomStallsClearStatusOutsideErrorEvenWhenWedged() {
        SimulatedStm32 board = board(ChipProfile.STM32H743, SimOptions.realistic().withWedges(true)
                .withClearStatusOutsideError(ClearStatusOutsideError.STALLS));
        RawDfu dfu = new RawDfu(board.connect(), clock);

        dfu.dnload(0, RawDfu.addressCommand(0x41, H7_BANK_2));
        dfu.getStatus();
        dfu.sleep(1100);
        assertThatThrownBy(dfu::clrStatus).isInstanceOf(StallException.class);
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_STALLEDPKT, DfuState.DFU_ERROR));
        dfu.clrStatus();
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_IDLE));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void clearStatusOutsideErrorOnARomThatIsNotWedgedIsAViolationAnsweredAsTheFamilyDoes() {
        SimulatedStm32 h7 = board(ChipProfile.STM32H743, SimOptions.realistic());
        RawDfu dfu = new RawDfu(h7.connect(), clock);
        dfu.clrStatus(); // ST's device code: dfuERROR with errUNKNOWN, no stall
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_UNKNOWN, DfuState.DFU_ERROR));
        assertThat(h7.violations()).extracting(ProtocolViolation::kind).containsExactly(Kind.REQUEST_IN_FORBIDDEN_STATE);

        SimulatedStm32 c5Style = board(ChipProfile.STM32H743, SimOptions.realistic()
                .withClearStatusOutsideError(ClearStatusOutsideError.STALLS));
        RawDfu c5 = new RawDfu(c5Style.connect(), clock);
        assertThatThrownBy(c5::clrStatus).isInstanceOf(StallException.class);
        assertThat(c5.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_STALLEDPKT, DfuState.DFU_ERROR));
        assertThat(c5Style.violations()).extracting(ProtocolViolation::kind)
                .containsExactly(Kind.REQUEST_IN_FORBIDDEN_STATE);
    }
}
