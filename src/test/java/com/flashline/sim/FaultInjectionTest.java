package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.StallException;
import com.flashline.dfu.VirtualClock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private static final long FLASH = 0x0800_0000L;
    private final VirtualClock clock = new VirtualClock();

    private SimulatedStm32 board(FaultPlan plan) {
        return SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock).faults(plan)
                .content(FLASH, RawDfu.pattern(4096, 1)).build();
    }

    @Test
    void stallRequestNStallsOnlyThatRequestAndKeepsTheState() {
        SimulatedStm32 board = board(FaultPlan.none().stallRequest(2));
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.getStatus();
        assertThatThrownBy(dfu::getStatus).isInstanceOf(StallException.class);
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_IDLE));
        assertThat(board.violations()).isEmpty();
        assertThat(board.faults().fired()).containsExactly(new Fault.StallRequest(2));
    }

    @Test
    void errorStatusOnRequestN() {
        SimulatedStm32 board = board(FaultPlan.none().errorStatusOnRequest(1, DfuStatusCode.ERR_WRITE)
                .errorStatusOnRequest(4, DfuStatusCode.ERR_UNKNOWN));
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.dnload(0, RawDfu.addressCommand(0x21, FLASH)); // request 1 is accepted on the wire
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_WRITE, DfuState.DFU_ERROR));
        dfu.clrStatus();
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_UNKNOWN, DfuState.DFU_ERROR));
    }

    @Test
    void errorOnTheNextWriteOrEraseLeavesMemoryAlone() {
        SimulatedStm32 board = board(FaultPlan.none().errorStatusOnNextWriteOrErase(DfuStatusCode.ERR_ERASE));
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.setAddress(FLASH).status()).isEqualTo(DfuStatusCode.OK); // not a write or erase
        assertThat(dfu.erase(FLASH)).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_ERASE, DfuState.DFU_ERROR));
        assertThat(board.memory(FLASH, 16)).isEqualTo(Arrays.copyOf(RawDfu.pattern(4096, 1), 16));
        dfu.clrStatus();
        assertThat(dfu.erase(FLASH).status()).isEqualTo(DfuStatusCode.OK);

        board.inject(new Fault.ErrorStatusOnNextWriteOrErase(DfuStatusCode.ERR_VERIFY));
        assertThat(dfu.writeAt(FLASH, new byte[16]).status()).isEqualTo(DfuStatusCode.ERR_VERIFY);
        assertThat(board.memory(FLASH, 1)).containsExactly(0xFF);
    }

    @Test
    void disconnectAtRequestN() {
        SimulatedStm32 board = board(FaultPlan.none().disconnectAtRequest(3));
        java.util.List<DisconnectReason> reasons = new java.util.ArrayList<>();
        board.addListener(new SimulatedStm32.Listener() {
            @Override
            public void disconnected(DisconnectReason reason) {
                reasons.add(reason);
            }
        });
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.getStatus();
        dfu.getStatus();
        assertThatThrownBy(dfu::getStatus).isInstanceOf(DeviceGoneException.class);
        assertThat(reasons).containsExactly(DisconnectReason.INJECTED);
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.UNPLUGGED);
        board.plugIn();
        assertThat(new RawDfu(board.connect(), clock).getState()).isEqualTo(DfuState.DFU_IDLE);
    }

    @Test
    void disconnectWhenAnAddressIsWritten() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .faults(FaultPlan.none().disconnectOnWrite(0x0800_0900L)).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.writeAt(FLASH, new byte[2048]).status()).isEqualTo(DfuStatusCode.OK); // 0x000..0x7FF
        dfu.dnload(3, new byte[2048]); // 0x800..0xFFF covers the address
        assertThatThrownBy(dfu::getStatus).isInstanceOf(DeviceGoneException.class);
        assertThat(board.memory(0x0800_0800L, 4)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF);
        assertThat(board.memory(FLASH, 4)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void injectedDisconnectMayReenumerate() {
        SimulatedStm32 board = board(FaultPlan.none());
        RawDfu dfu = new RawDfu(board.connect(), clock);
        board.inject(new Fault.DisconnectAtRequest(board.controlTransferCount() + 1, true));
        assertThatThrownBy(dfu::getStatus).isInstanceOf(DeviceGoneException.class);
        assertThat(board.inBootloader()).isTrue();
        assertThat(board.enumerationCount()).isEqualTo(2);
    }

    @Test
    void corruptedReadbackFlipsBitsInTheUploadOnly() {
        SimulatedStm32 board = board(FaultPlan.none().corruptReadback(FLASH + 10, FLASH + 12, 0x01));
        RawDfu dfu = new RawDfu(board.connect(), clock);
        byte[] expected = Arrays.copyOf(RawDfu.pattern(4096, 1), 32);
        byte[] read = dfu.readAt(FLASH, 32);
        assertThat(read).isNotEqualTo(expected);
        for (int i = 0; i < 32; i++) {
            int flip = i == 10 || i == 11 ? 1 : 0;
            assertThat(read[i] ^ expected[i]).as("byte %d", i).isEqualTo(flip);
        }
        assertThat(board.memory(FLASH, 32)).isEqualTo(expected);
        assertThat(dfu.readAt(FLASH + 10, 2)).isNotEqualTo(Arrays.copyOfRange(expected, 10, 12)); // persistent
    }

    @Test
    void aCorruptWriteLeavesTheWrongByteInFlashAndReadsItBackTruthfully() {
        SimulatedStm32 board = board(FaultPlan.none().corruptWrite(FLASH + 4096 + 5, 0x30));
        RawDfu dfu = new RawDfu(board.connect(), clock);
        byte[] data = RawDfu.pattern(32, 7);
        assertThat(dfu.writeAt(FLASH + 4096, data).status()).isEqualTo(DfuStatusCode.OK);
        byte[] expected = data.clone();
        expected[5] ^= 0x30;
        assertThat(board.memory(FLASH + 4096, 32)).isEqualTo(expected);
        assertThat(dfu.readAt(FLASH + 4096, 32)).isEqualTo(expected);
        assertThat(board.faults().fired()).containsExactly(new Fault.CorruptWrite(FLASH + 4096 + 5, 0x30));
        assertThat(dfu.writeAt(FLASH + 8192, data).status()).as("one-shot").isEqualTo(DfuStatusCode.OK);
        assertThat(board.memory(FLASH + 8192, 32)).isEqualTo(data);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void skippedFlashWritesAreAcknowledgedButProgramNothingInTheirRangeOnly() {
        SimulatedStm32 board = board(FaultPlan.none().skipFlashWrites(FLASH + 8192, FLASH + 8192 + 64));
        RawDfu dfu = new RawDfu(board.connect(), clock);
        byte[] data = RawDfu.pattern(32, 9);
        assertThat(dfu.writeAt(FLASH + 8192, data).status()).isEqualTo(DfuStatusCode.OK);
        assertThat(dfu.writeAt(FLASH + 8192 + 32, data).status()).isEqualTo(DfuStatusCode.OK);
        assertThat(dfu.writeAt(FLASH + 8192 + 64, data).status()).isEqualTo(DfuStatusCode.OK);
        assertThat(board.memory(FLASH + 8192, 64)).containsOnly((byte) 0xFF);
        assertThat(board.memory(FLASH + 8192 + 64, 32)).isEqualTo(data);
        assertThat(board.flashWork().bytesProgrammed()).isEqualTo(32);
        assertThat(board.faults().pending()).as("persistent").hasSize(1);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void faultsValidateTheirArguments() {
        assertThatThrownBy(() -> new Fault.CorruptWrite(FLASH, 0x100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fault.SkipFlashWrites(FLASH, FLASH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fault.ErrorStatusOnRequest(1, DfuStatusCode.OK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fault.CorruptReadback(10, 10, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fault.CorruptReadback(0, 10, 0x100)).isInstanceOf(IllegalArgumentException.class);
    }
}
