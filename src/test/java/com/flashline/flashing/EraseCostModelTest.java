package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.MemoryRegion;
import com.flashline.dfu.Sector;
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
        EraseCostModel f4 = new EraseCostModel(ChipCatalog.F2_F4_ERASE, 2048);

        // 8 blocks + pointer and ABORT: 12 ms of transfers plus 13.1 ms of data, against 250 ms.
        assertThat(f4.readTime(16 * 1024)).isEqualTo(Duration.ofNanos(12_000_000 + 13_120_000));
        assertThat(f4.worthReading(sector(0x0800_0000L, 16 * 1024))).isTrue();
        assertThat(f4.worthReading(sector(0x0802_0000L, 128 * 1024))).isTrue();
    }

    @Test
    void aSectorIsNotReadWhenErasingIsCheaperUnreadableOrOfUnknownSize() {
        EraseCostModel fastErase = new EraseCostModel(new ChipCatalog.EraseTimes(
                Map.of(16 * 1024, Duration.ofMillis(5)), null), 2048);

        assertThat(fastErase.worthReading(sector(0x0800_0000L, 16 * 1024))).isFalse();
        assertThat(new EraseCostModel(ChipCatalog.F2_F4_ERASE, 2048)
                .worthReading(new Sector(0x0800_0000L, 16 * 1024, MemoryRegion.ERASABLE | MemoryRegion.WRITEABLE)))
                .isFalse();
        assertThat(new EraseCostModel(ChipCatalog.F2_F4_ERASE, 2048).worthReading(sector(0x0800_0000L, 32 * 1024)))
                .isFalse();
    }

    @Test
    void aMassEraseIsCheaperOnlyWhenTheFamilyHasOneAndItBeatsTheSumOfSectorErases() {
        EraseCostModel f4 = new EraseCostModel(ChipCatalog.F2_F4_ERASE, 2048);
        List<Sector> f407 = ChipProfile.STM32F407.flashSectors();

        assertThat(f4.massEraseCheaper(f407)).isTrue();                 // 8.55 s of sectors against 8 s
        assertThat(f4.massEraseCheaper(f407.subList(0, 11))).isFalse(); // 7.55 s against 8 s
        assertThat(new EraseCostModel(ChipCatalog.L0_ERASE, 2048)
                .massEraseCheaper(List.of(sector(0x0800_0000L, 128), sector(0x0800_0080L, 128)))).isFalse();
    }

    @Test
    void theDatasheetFiguresOfTheSimulatedFamiliesAgreeWithTheSimulatorsProfiles() {
        Map<ChipProfile, ChipCatalog.EraseTimes> byProfile = Map.of(
                ChipProfile.STM32F407, ChipCatalog.F2_F4_ERASE,
                ChipProfile.STM32F107, ChipCatalog.F1_ERASE,
                ChipProfile.STM32L476, ChipCatalog.L4_G4_ERASE,
                ChipProfile.STM32F072, ChipCatalog.F0_F3_ERASE);
        byProfile.forEach((profile, times) -> {
            for (Sector s : profile.flashSectors()) {
                assertThat(times.sectorErase(s.size())).as("%s %s", profile.name(), s)
                        .contains(profile.flashTiming().eraseTime(s.size()));
            }
            assertThat(times.knownMassErase()).as(profile.name()).contains(profile.flashTiming().massEraseTime());
        });
    }
}
