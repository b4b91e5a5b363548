package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.StallException;
import com.flashline.dfu.VirtualClock;
import com.flashline.sim.ProtocolViolation.Kind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MemoryCommandsTest {

    private static final long FLASH = 0x0800_0000L;
    private final VirtualClock clock = new VirtualClock();

    private SimulatedStm32 board(ChipProfile profile) {
        return SimulatedStm32.builder(profile).clock(clock).build();
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void writeThenReadBackThroughTheProtocol() {
        SimulatedStm32 board = board(ChipProfile.STM32F407);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        byte[] image = RawDfu.pattern(2048, 3);
        assertThat(dfu.writeAt(FLASH + 0x100, image)).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        assertThat(board.memory(FLASH + 0x100, 2048)).isEqualTo(image);
        dfu.abort();
        assertThat(dfu.readAt(FLASH + 0x100, 2048)).isEqualTo(image);
        assertThat(dfu.readAt(FLASH, 2)).containsExactly(0xFF, 0xFF);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void theBoardCountsTheErasesAndFlashWritesItExecuted() {
        SimulatedStm32 board = board(ChipProfile.STM32F407);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(board.flashWork()).isEqualTo(new FlashWork(0, 0));

        dfu.erase(FLASH);
        dfu.erase(FLASH + 0x4000);
        dfu.writeAt(FLASH, RawDfu.pattern(2048, 1));
        dfu.write(3, RawDfu.pattern(1024, 2));
        dfu.abort();
        dfu.readAt(FLASH, 2048);
        dfu.massErase();

        assertThat(board.flashWork()).as("reads count nothing").isEqualTo(new FlashWork(3, 3072));
    }

    @Test
    void consecutiveBlocksFollowTheAddressFormula() {
        SimulatedStm32 board = board(ChipProfile.STM32F407);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.setAddress(FLASH);
        dfu.write(2, filled(2048, 0x11));
        dfu.write(3, filled(2048, 0x22));
        dfu.write(4, filled(16, 0x33)); // a short last block at block 4
        // AN3156 wording: wTransferSize is this request's length, so block 4 of 16 bytes lands at 2*16
        assertThat(board.memory(FLASH + 2048, 2)).containsExactly(0x22, 0x22);
        assertThat(board.memory(FLASH + 32, 16)).isEqualTo(filled(16, 0x11 & 0x33));
        assertThat(board.violations()).extracting(ProtocolViolation::kind)
                .containsExactly(Kind.WRITE_TO_UNERASED_FLASH);
    }

    @Test
    void transferSizeAddressingPutsAShortBlockAfterTheFullOnes() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .options(SimOptions.defaults().withBlockAddressing(SimOptions.BlockAddressing.TRANSFER_SIZE)).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.setAddress(FLASH);
        dfu.write(2, filled(2048, 0x11));
        dfu.write(3, filled(2048, 0x22));
        dfu.write(4, filled(16, 0x33));
        assertThat(board.memory(FLASH + 4096, 16)).isEqualTo(filled(16, 0x33));
        assertThat(board.memory(FLASH + 4096 + 16, 1)).containsExactly(0xFF);
        assertThat(board.violations()).isEmpty();
        dfu.abort();
        dfu.setAddress(FLASH);
        dfu.abort();
        assertThat(dfu.upload(4, 16)).isEqualTo(filled(16, 0x33));
    }

    @Test
    void shortReadWithHighBlockNumberUsesItsOwnLengthUnderAn3156Addressing() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .content(FLASH, RawDfu.pattern(8192, 0)).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.upload(5, 16)).isEqualTo(Arrays.copyOfRange(RawDfu.pattern(8192, 0), 48, 64));
    }

    @Test
    void flashProgrammingOnlyClearsBitsAndLogsUnerasedWritesOnF4() {
        SimulatedStm32 board = board(ChipProfile.STM32F407);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.writeAt(FLASH, new byte[] {(byte) 0xF0, (byte) 0xF0});
        DfuStatus s = dfu.writeAt(FLASH, new byte[] {0x3C, 0x3C});
        assertThat(s.status()).isEqualTo(DfuStatusCode.OK); // the F4 controller ANDs without complaint
        assertThat(board.memory(FLASH, 2)).containsExactly(0x30, 0x30);
        assertThat(board.violations()).extracting(ProtocolViolation::kind)
                .containsExactly(Kind.WRITE_TO_UNERASED_FLASH);
    }

    @Test
    void aBlockOverOneUnerasedUnitProgramsUpToItOnL4AndAroundItOnF4() {
        byte[] block = new byte[64];
        Arrays.fill(block, (byte) 0x5A);
        for (ChipProfile p : new ChipProfile[] {ChipProfile.STM32L476, ChipProfile.STM32F407}) {
            SimulatedStm32 board = board(p);
            RawDfu dfu = new RawDfu(board.connect(), clock);
            dfu.writeAt(FLASH + 24, new byte[] {0x0F, 0x0F}); // dirties bytes 24..25: L4 double-word 24..31

            DfuStatus s = dfu.writeAt(FLASH, block);

            byte[] after = board.memory(FLASH, 64);
            assertThat(Arrays.copyOfRange(after, 0, 24)).as(p.name()).containsOnly(0x5A);
            if (p == ChipProfile.STM32L476) {
                // the write stops at the unerased double-word: it and everything after stay as they were
                assertThat(s.status()).isEqualTo(DfuStatusCode.ERR_PROG);
                assertThat(Arrays.copyOfRange(after, 24, 32)).containsExactly(0x0F, 0x0F, -1, -1, -1, -1, -1, -1);
                assertThat(Arrays.copyOfRange(after, 32, 64)).containsOnly(-1);
            } else {
                // the F4 ANDs the unerased bytes and goes on
                assertThat(s.status()).isEqualTo(DfuStatusCode.OK);
                assertThat(Arrays.copyOfRange(after, 24, 26)).containsOnly(0x0A);
                assertThat(Arrays.copyOfRange(after, 26, 64)).containsOnly(0x5A);
            }
            assertThat(board.violations()).as(p.name()).extracting(ProtocolViolation::kind)
                    .containsExactly(Kind.WRITE_TO_UNERASED_FLASH);
        }
    }

    @Test
    void f1AndL4ReportAProgrammingErrorForUnerasedUnits() {
        for (ChipProfile p : new ChipProfile[] {ChipProfile.STM32F107, ChipProfile.STM32L476}) {
            SimulatedStm32 board = board(p);
            RawDfu dfu = new RawDfu(board.connect(), clock);
            dfu.writeAt(FLASH, new byte[] {0x00, 0x11});
            // the rest of the same program unit (L4: 8 bytes) is no longer erased either
            DfuStatus s = dfu.writeAt(FLASH + 2, new byte[] {0x22, 0x33});
            if (p == ChipProfile.STM32F107) {
                assertThat(s.status()).as(p.name()).isEqualTo(DfuStatusCode.OK);
                s = dfu.writeAt(FLASH, new byte[] {0x00, 0x00});
            }
            assertThat(s).as(p.name()).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_PROG, DfuState.DFU_ERROR));
            assertThat(board.violations()).extracting(ProtocolViolation::kind)
                    .containsExactly(Kind.WRITE_TO_UNERASED_FLASH);
        }
    }

    @Test
    void pageEraseErasesTheWholeSectorHoldingTheAddress() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .content(FLASH + 0x4000 - 2, filled(4, 0)).content(FLASH + 0x1_0000, filled(4, 0)).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.erase(FLASH + 0x1_2345)).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        assertThat(board.memory(FLASH + 0x1_0000, 4)).isEqualTo(filled(4, 0xFF));
        assertThat(board.memory(FLASH + 0x4000 - 2, 4)).containsExactly(0, 0, 0, 0);
        assertThat(dfu.erase(FLASH + 0x10)).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        assertThat(board.memory(FLASH + 0x4000 - 2, 4)).containsExactly(0xFF, 0xFF, 0, 0);
    }

    @Test
    void massEraseErasesAllFlash() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32L476).clock(clock)
                .content(FLASH, filled(64, 0)).content(0x080F_FFF0L, filled(16, 0)).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.massErase().status()).isEqualTo(DfuStatusCode.OK);
        assertThat(board.memory(FLASH, 64)).isEqualTo(filled(64, 0xFF));
        assertThat(board.memory(0x080F_FFF0L, 16)).isEqualTo(filled(16, 0xFF));
    }

    @Test
    void addressesOutsideTheMapGiveErrTarget() {
        SimulatedStm32 board = board(ChipProfile.STM32F407);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.setAddress(0x0900_0000L)).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_TARGET, DfuState.DFU_ERROR));
        dfu.clrStatus();
        assertThat(dfu.erase(0x2000_4000L).status()).isEqualTo(DfuStatusCode.ERR_TARGET); // erase: flash only
        dfu.clrStatus();
        assertThat(dfu.writeAt(0x080F_FFFEL, new byte[4]).status()).isEqualTo(DfuStatusCode.ERR_TARGET); // runs past the end
        dfu.clrStatus();
        assertThat(dfu.writeAt(0x1FFF_0000L, new byte[4]).status()).isEqualTo(DfuStatusCode.ERR_TARGET); // system memory
        dfu.clrStatus();
        assertThat(dfu.writeAt(FLASH, new byte[1]).status()).isEqualTo(DfuStatusCode.ERR_TARGET); // 2..2048 bytes
        dfu.clrStatus();
        dfu.setAddress(0x080F_FF00L);
        dfu.abort();
        assertThatThrownBy(() -> dfu.upload(2, 512)).isInstanceOf(StallException.class);
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_TARGET, DfuState.DFU_ERROR));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void systemMemoryAndOtpAreReadableAndOtpProgramsOnce() {
        SimulatedStm32 board = board(ChipProfile.STM32F407);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.readAt(0x1FFF_0000L, 256)).isEqualTo(board.memory(0x1FFF_0000L, 256));
        assertThat(dfu.writeAt(0x1FFF_7800L, new byte[] {0x0F, 0x0F}).status()).isEqualTo(DfuStatusCode.OK);
        dfu.abort();
        assertThat(dfu.readAt(0x1FFF_7800L, 4)).containsExactly(0x0F, 0x0F, 0xFF, 0xFF);
    }

    @Test
    void ramWritesStoreAndTheBootloadersOwnRamIsRefused() {
        SimulatedStm32 board = board(ChipProfile.STM32F407);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        byte[] data = RawDfu.pattern(100, 9);
        assertThat(dfu.writeAt(0x2000_3000L, data).status()).isEqualTo(DfuStatusCode.OK);
        assertThat(dfu.writeAt(0x2000_3000L, new byte[100]).status()).isEqualTo(DfuStatusCode.OK);
        assertThat(board.memory(0x2000_3000L, 100)).isEqualTo(new byte[100]); // RAM just stores
        assertThat(dfu.setAddress(0x2000_0100L).status()).isEqualTo(DfuStatusCode.ERR_TARGET);
        dfu.clrStatus();
        dfu.setAddress(0x2001_FF00L); // 256 bytes below the end of the 128 KiB
        assertThat(dfu.write(2, new byte[0x200]).status()).isEqualTo(DfuStatusCode.ERR_TARGET);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void writeProtectedSectorsSilentlyStayUnchanged() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .content(FLASH, filled(16, 0x5A)).writeProtect(FLASH).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.erase(FLASH)).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        assertThat(board.memory(FLASH, 16)).isEqualTo(filled(16, 0x5A));
        assertThat(dfu.writeAt(FLASH + 0x100, filled(16, 0)).status()).isEqualTo(DfuStatusCode.OK);
        assertThat(board.memory(FLASH + 0x100, 16)).isEqualTo(filled(16, 0xFF));
        assertThat(dfu.massErase().status()).isEqualTo(DfuStatusCode.OK);
        assertThat(board.memory(FLASH, 16)).isEqualTo(filled(16, 0x5A));
        assertThat(dfu.writeAt(FLASH + 0x4000, filled(16, 0)).status()).isEqualTo(DfuStatusCode.OK);
        assertThat(board.memory(FLASH + 0x4000, 16)).isEqualTo(filled(16, 0)); // sector 1 is not protected
    }

    @Test
    void readProtectionRefusesReadWriteAndEraseButNotSetAddressOrGet() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock).readProtected(true)
                .content(FLASH, filled(16, 0x77)).build();
        assertThat(board.readProtected()).isTrue();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.upload(0, 4)).containsExactly(0x00, 0x21, 0x41, 0x92);
        assertThat(dfu.setAddress(FLASH)).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        assertThat(dfu.write(2, filled(16, 0))).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_VENDOR, DfuState.DFU_ERROR));
        dfu.clrStatus();
        assertThat(dfu.erase(FLASH).status()).isEqualTo(DfuStatusCode.ERR_VENDOR);
        dfu.clrStatus();
        assertThat(dfu.massErase().status()).isEqualTo(DfuStatusCode.ERR_VENDOR);
        dfu.clrStatus();
        assertThatThrownBy(() -> dfu.upload(2, 16)).isInstanceOf(StallException.class);
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.ERR_VENDOR, DfuState.DFU_ERROR));
        dfu.clrStatus();
        assertThat(dfu.writeAt(0x2000_4000L, filled(4, 1)).status()).isEqualTo(DfuStatusCode.ERR_VENDOR);
        assertThat(board.memory(FLASH, 16)).isEqualTo(filled(16, 0x77));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void readUnprotectMassErasesResetsOptionsAndReenumerates() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .options(SimOptions.realistic()).readProtected(true).writeProtect(FLASH)
                .content(FLASH, filled(16, 0x77)).content(0x2000_4000L, filled(16, 0x66)).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.dnload(0, new byte[] {(byte) 0x92});
        DfuStatus busy = dfu.getStatus();
        assertThat(busy.state()).isEqualTo(DfuState.DFU_DNBUSY);
        // The F4 ROM reports its fixed 100 ms for the mass erase behind it, which takes 16 s at x8.
        assertThat(busy.pollTimeoutMillis()).isEqualTo(100);
        assertThatThrownBy(dfu::getStatus).isInstanceOf(DeviceGoneException.class);
        assertThat(board.inBootloader()).isFalse(); // still erasing
        RawDfu again = new RawDfu(board.connect(), clock); // waits on the clock for the re-enumeration
        assertThat(clock.elapsed().toMillis()).isGreaterThanOrEqualTo(16_000);
        assertThat(board.readProtected()).isFalse();
        assertThat(board.memory(FLASH, 16)).isEqualTo(filled(16, 0xFF));
        assertThat(board.memory(0x2000_4000L, 16)).isEqualTo(new byte[16]);
        assertThat(board.memory(0x1FFF_C000L, 16)).isEqualTo(
                ChipProfile.STM32F407.optionBytes().first().factoryDefaults());
        assertThat(again.writeAt(FLASH, filled(4, 0)).status()).isEqualTo(DfuStatusCode.OK);
        assertThat(board.memory(FLASH, 4)).isEqualTo(new byte[4]); // write protection was reset too
        assertThat(board.enumerationCount()).isEqualTo(2);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void readUnprotectOnAnUnprotectedChipOnlyClearsRam() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F107).clock(clock)
                .content(FLASH, filled(16, 0x77)).content(0x2000_2000L, filled(16, 0x66)).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.dnload(0, new byte[] {(byte) 0x92});
        assertThat(dfu.getStatus().state()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThatThrownBy(dfu::getStatus).isInstanceOf(DeviceGoneException.class);
        assertThat(board.memory(FLASH, 16)).isEqualTo(filled(16, 0x77));
        assertThat(board.memory(0x2000_2000L, 16)).isEqualTo(new byte[16]);
        assertThat(board.inBootloader()).isTrue();
    }

    @Test
    void optionBytesReadAsAWholeBlockAndWriteResetsTheChip() {
        SimulatedStm32 board = board(ChipProfile.STM32F407);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        byte[] defaults = ChipProfile.STM32F407.optionBytes().first().factoryDefaults();
        assertThat(dfu.readAt(0x1FFF_C000L, 16)).isEqualTo(defaults);
        dfu.setAddress(0x1FFF_C000L);
        dfu.abort();
        assertThatThrownBy(() -> dfu.upload(2, 8)).isInstanceOf(StallException.class); // part of the block
        assertThat(dfu.getStatus().status()).isEqualTo(DfuStatusCode.ERR_TARGET);
        dfu.clrStatus();
        assertThat(dfu.writeAt(0x1FFF_C001L, new byte[15]).status()).isEqualTo(DfuStatusCode.ERR_TARGET);
        dfu.clrStatus();

        byte[] protect = defaults.clone();
        protect[1] = (byte) 0xBB; // RDP level 1
        dfu.setAddress(0x1FFF_C000L);
        dfu.dnload(2, protect);
        assertThat(dfu.getStatus().state()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThatThrownBy(dfu::getStatus).isInstanceOf(DeviceGoneException.class);
        assertThat(board.memory(0x1FFF_C000L, 16)).isEqualTo(protect);
        assertThat(board.readProtected()).isTrue();
        RawDfu again = new RawDfu(board.connect(), clock);
        assertThat(again.setAddress(FLASH).status()).isEqualTo(DfuStatusCode.OK);
        assertThat(again.write(2, new byte[4]).status()).isEqualTo(DfuStatusCode.ERR_VENDOR);
    }

    @Test
    void l476HasTwoOptionBlocks() {
        SimulatedStm32 board = board(ChipProfile.STM32L476);
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.readAt(0x1FFF_7800L, 40)).startsWith(0xAA, 0xF8, 0xEF, 0xFF);
        assertThat(dfu.readAt(0x1FFF_F800L, 40)).hasSize(40);
        assertThat(board.readProtected()).isFalse();
    }
}
