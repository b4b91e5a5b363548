package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.VirtualClock;
import com.flashline.support.RandomCases;
import com.flashline.support.SeededTest;
import java.util.random.RandomGenerator;

class FlashModelProperties {

    private static final long FLASH = 0x0800_0000L;

    @SeededTest(tries = 60)
    void programmingTwiceStoresTheAndOfBothAndReadsBackThroughUpload(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        byte[] first = RandomCases.bytes(random, 2, 512);
        int offset = RandomCases.intBetween(random, 0, 0x3000);
        int mask = RandomCases.intBetween(random, 0, 255);
        VirtualClock clock = new VirtualClock();
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        byte[] second = first.clone();
        for (int i = 0; i < second.length; i++) {
            second[i] = (byte) (second[i] ^ mask ^ i);
        }
        assertThat(dfu.writeAt(FLASH + offset, first).status()).isEqualTo(DfuStatusCode.OK);
        assertThat(dfu.writeAt(FLASH + offset, second).status()).isEqualTo(DfuStatusCode.OK);
        dfu.abort();
        byte[] expected = new byte[first.length];
        for (int i = 0; i < first.length; i++) {
            expected[i] = (byte) (first[i] & second[i]);
        }
        assertThat(dfu.readAt(FLASH + offset, first.length)).isEqualTo(expected);
        boolean bitsCleared = false;
        for (int i = 0; i < first.length; i++) {
            bitsCleared |= first[i] != (byte) 0xFF;
        }
        assertThat(board.violations().isEmpty()).isEqualTo(!bitsCleared);
    }

    @SeededTest(tries = 60)
    void bothAddressingModesAgreeForFullBlocks(long seed) {
        int block = RandomCases.intBetween(RandomCases.random(seed), 2, 40);
        VirtualClock clock = new VirtualClock();
        byte[] image = RawDfu.pattern(2048 * 40, 5);
        for (SimOptions.BlockAddressing mode : SimOptions.BlockAddressing.values()) {
            SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                    .options(SimOptions.defaults().withBlockAddressing(mode)).content(FLASH, image).build();
            RawDfu dfu = new RawDfu(board.connect(), clock);
            byte[] read = dfu.upload(block, 2048);
            assertThat(read).isEqualTo(java.util.Arrays.copyOfRange(image, (block - 2) * 2048, (block - 1) * 2048));
        }
    }
}
