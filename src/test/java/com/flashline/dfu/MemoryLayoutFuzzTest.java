package com.flashline.dfu;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the DfuSe layout string parser: a device names its memory in its
 * alternate settings' strings, so a broken or hostile device controls this input. Replays
 * {@code src/test/resources/com/flashline/dfu/MemoryLayoutFuzzTestInputs/parse/} (the layouts of
 * every simulated ROM plus minimised finds) in every run; fuzzes under {@code -Pfuzz}.
 */
class MemoryLayoutFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] input) {
        String descriptor = new String(input, StandardCharsets.UTF_8);
        MemoryLayout layout;
        try {
            layout = MemoryLayout.parse(descriptor);
        } catch (MemoryLayoutException e) {
            assertThat(e.position()).isBetween(0, Math.max(descriptor.length(), 0));
            return;
        }
        assertThat(layout.regions()).isNotEmpty();
        long sectors = 0;
        for (MemoryRegion region : layout.regions()) {
            assertThat(region.start()).isBetween(0L, 0xFFFF_FFFFL);
            assertThat(region.end()).isLessThanOrEqualTo(0x1_0000_0000L);
            assertThat(region.sectorCount()).isPositive();
            assertThat(region.sectorSize()).isPositive();
            assertThat(region.attributes()).isBetween(1, 7);
            sectors += region.sectorCount();
        }
        assertThat(sectors).isLessThanOrEqualTo(MemoryLayout.MAX_SECTORS);
        assertThat(layout.sectors()).hasSize((int) sectors);
        assertThat(layout.allows(layout.start(), 1, 0)).isEqualTo(layout.contains(layout.start()));
    }
}
