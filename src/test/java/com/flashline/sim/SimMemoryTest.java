package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Board memory is kept in pages allocated on first write; reads must not be able to tell. */
class SimMemoryTest {

    private static final long FLASH = 0x0800_0000L;
    private static final long RAM = 0x2000_0000L;

    private final SimMemory memory = new SimMemory(ChipProfile.STM32F407, new byte[ChipProfile.UID_LENGTH]);

    @Test
    void unwrittenFlashReadsErasedAndUnwrittenRamReadsZero() {
        assertThat(memory.read(FLASH + 0x1_0000, 4096)).containsOnly((byte) 0xFF);
        assertThat(memory.read(RAM + 100, 300)).containsOnly((byte) 0);
    }

    @Test
    void aWriteAcrossPagesReadsBackWithItsNeighboursUntouched() {
        byte[] data = new byte[3000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + 1);
        }
        memory.store(FLASH + 1000, data);

        byte[] around = memory.read(FLASH, 5000);
        assertThat(Arrays.copyOfRange(around, 0, 1000)).containsOnly((byte) 0xFF);
        assertThat(Arrays.copyOfRange(around, 1000, 4000)).isEqualTo(data);
        assertThat(Arrays.copyOfRange(around, 4000, 5000)).containsOnly((byte) 0xFF);
    }

    @Test
    void erasingASectorRestoresItAndLeavesTheNextOneAlone() {
        byte[] zeros = new byte[2048];
        memory.store(FLASH + 0x3F00, zeros); // the end of sector 0 and the start of sector 1 (16 KiB each)

        memory.eraseSector(0);

        assertThat(memory.read(FLASH, 0x4000)).containsOnly((byte) 0xFF);
        assertThat(memory.read(FLASH + 0x4000, 0x700)).containsOnly((byte) 0);
        assertThat(memory.read(FLASH + 0x4700, 0x100)).containsOnly((byte) 0xFF);
    }

    @Test
    void massEraseAndRamClearForgetEverything() {
        memory.store(FLASH + 0x2_0000, new byte[] {1, 2, 3});
        memory.store(RAM, new byte[] {4, 5, 6});

        memory.eraseAllFlash();
        memory.clearRam();

        assertThat(memory.read(FLASH + 0x2_0000, 3)).containsOnly((byte) 0xFF);
        assertThat(memory.read(RAM, 3)).containsOnly((byte) 0);
    }

    @Test
    void theProgrammingPrimitivesSeeTheSameBytesAsReads() {
        SimMemory.Area flash = memory.flash();
        long at = FLASH + 0x5000;
        assertThat(flash.firstOther(at, 32, (byte) 0xFF)).isEqualTo(-1);

        flash.set(at + 3, (byte) 0x5A);

        assertThat(flash.firstOther(at, 32, (byte) 0xFF)).isEqualTo(at + 3);
        assertThat(memory.read(at + 3, 1)).containsExactly((byte) 0x5A);
        assertThat(memory.read(at, 4)).containsExactly((byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x5A);
    }

    @Test
    void clearingBitsAcrossPagesAllocatesOnlyWhereTheDataClearsSomething() {
        SimMemory.Area flash = memory.flash();
        long at = FLASH + 0x6000 - 2; // the last two bytes of one page, the first two of the next
        byte[] data = {(byte) 0xFF, (byte) 0xFF, (byte) 0x0F, (byte) 0xF0};

        flash.clearBits(at, data, 0, 4);
        flash.clearBits(at + 2, new byte[] {(byte) 0x3C}, 0, 1);

        assertThat(memory.read(at, 4)).containsExactly((byte) 0xFF, (byte) 0xFF, (byte) 0x0C, (byte) 0xF0);
        assertThat(flash.firstOther(at, 4, (byte) 0xFF)).isEqualTo(at + 2);
        assertThat(flash.firstOther(FLASH + 0x6000 + 2, 1022, (byte) 0xFF)).isEqualTo(-1);
    }

    @Test
    void bulkWritesSpanPagesAndKeepTheFill() {
        SimMemory.Area ram = memory.ram();
        byte[] data = new byte[3000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 7 == 0 ? 0 : i);
        }

        ram.write(RAM + 100, data);

        assertThat(memory.read(RAM + 100, data.length)).isEqualTo(data);
        assertThat(memory.read(RAM, 100)).containsOnly((byte) 0);
    }
}
