package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.MemoryRegion;
import com.flashline.dfu.Sector;
import com.flashline.rom.FlashTimes;
import com.flashline.rom.RomTable;
import com.flashline.sim.ChipProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EraseCostModelTest {

    private static final int READ_ERASE_WRITE = MemoryRegion.READABLE | MemoryRegion.ERASABLE | MemoryRegion.WRITEABLE;

    private static Sector sector(long start, int size) {
        return new Sector(start, size, READ_ERASE_WRITE);
    }

    @Test
    void readingAnF4SectorAtFullSpeedIsCheaperThanErasingIt() {
        EraseCostModel f4 = new EraseCostModel(RomTable.STM32F2_F4.flash(), 2048);

        // 8 blocks + pointer and ABORT: 12 ms of transfers plus 13.1 ms of data, against 400 ms (x8).
        assertThat(f4.readTime(16 * 1024)).isEqualTo(Duration.ofNanos(12_000_000 + 13_120_000));
        assertThat(f4.worthReading(sector(0x0800_0000L, 16 * 1024))).isTrue();
        assertThat(f4.worthReading(sector(0x0802_0000L, 128 * 1024))).isTrue();
    }

    @Test
    void aSectorIsNotReadWhenErasingIsCheaperUnreadableOrOfUnknownSize() {
        EraseCostModel fastErase = new EraseCostModel(new FlashTimes(1, Duration.ofNanos(16_000),
                Map.of(16 * 1024, FlashTimes.EraseTime.typicalMillis(5)), null), 2048);

        assertThat(fastErase.worthReading(sector(0x0800_0000L, 16 * 1024))).isFalse();
        assertThat(new EraseCostModel(RomTable.STM32F2_F4.flash(), 2048)
                .worthReading(new Sector(0x0800_0000L, 16 * 1024, MemoryRegion.ERASABLE | MemoryRegion.WRITEABLE)))
                .isFalse();
        assertThat(new EraseCostModel(RomTable.STM32F2_F4.flash(), 2048).worthReading(sector(0x0800_0000L, 32 * 1024)))
                .isFalse();
    }

    @Test
    void aMassEraseIsCheaperOnlyWhenTheFamilyHasOneAndItBeatsTheSumOfSectorErases() {
        EraseCostModel f4 = new EraseCostModel(RomTable.STM32F2_F4.flash(), 2048);
        List<Sector> f407 = ChipProfile.STM32F407.flashSectors();

        assertThat(f4.massEraseCheaper(f407)).isTrue();                 // 16.8 s of sectors against 16 s (x8)
        assertThat(f4.massEraseCheaper(f407.subList(0, 11))).isFalse(); // 14.8 s against 16 s
        assertThat(new EraseCostModel(RomTable.STM32L0.flash(), 2048)
                .massEraseCheaper(List.of(sector(0x0800_0000L, 128), sector(0x0800_0080L, 128)))).isFalse();
    }

    @Test
    void aReadThatCostsAsMuchAsTheEraseIsNotWorthIt() {
        Duration read16k = new EraseCostModel(RomTable.STM32F2_F4.flash(), 2048).readTime(16 * 1024);
        EraseCostModel even = new EraseCostModel(new FlashTimes(1, Duration.ofNanos(16_000),
                Map.of(16 * 1024, new FlashTimes.EraseTime(read16k, null)), null), 2048);
        EraseCostModel slower = new EraseCostModel(new FlashTimes(1, Duration.ofNanos(16_000),
                Map.of(16 * 1024, new FlashTimes.EraseTime(read16k.plusNanos(1), null)), null), 2048);

        assertThat(even.worthReading(sector(0x0800_0000L, 16 * 1024))).isFalse();
        assertThat(slower.worthReading(sector(0x0800_0000L, 16 * 1024))).isTrue();
    }

    @Test
    void aMassEraseAsSlowAsTheSectorErasesOrBesideASectorOfUnknownEraseTimeIsNotChosen() {
        FlashTimes.EraseTime second = FlashTimes.EraseTime.typicalMillis(1000);
        List<Sector> two = List.of(sector(0x0800_0000L, 16 * 1024), sector(0x0800_4000L, 16 * 1024));
        EraseCostModel even = new EraseCostModel(new FlashTimes(1, Duration.ofNanos(16_000),
                Map.of(16 * 1024, second), FlashTimes.EraseTime.typicalMillis(2000)), 2048);
        EraseCostModel faster = new EraseCostModel(new FlashTimes(1, Duration.ofNanos(16_000),
                Map.of(16 * 1024, second), FlashTimes.EraseTime.typicalMillis(1999)), 2048);

        assertThat(even.massEraseCheaper(two)).isFalse();
        assertThat(faster.massEraseCheaper(two)).isTrue();
        assertThat(faster.massEraseCheaper(List.of(sector(0x0800_0000L, 16 * 1024), sector(0x0800_4000L, 32 * 1024))))
                .isFalse();
    }
}
