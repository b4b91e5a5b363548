package com.flashline.station;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Outside a transaction (no synchronisation active) the cache drops its value when told at once. */
class CommittedSettingsCacheTest {

    private final CommittedSettingsCache<String> cache = new CommittedSettingsCache<>();
    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void keepsWhatItLoadedUntilInvalidated() {
        assertThat(cache.get(() -> "v" + loads.incrementAndGet())).isEqualTo("v1");
        assertThat(cache.get(() -> "v" + loads.incrementAndGet())).isEqualTo("v1");

        cache.invalidateWhenCommitted();

        assertThat(cache.get(() -> "v" + loads.incrementAndGet())).isEqualTo("v2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void aLoadThatOverlappedAChangeIsUsedOnceButNotKept() {
        String overlapped = cache.get(() -> {
            cache.invalidateWhenCommitted(); // a change commits while this load reads the old row
            return "old";
        });

        assertThat(overlapped).isEqualTo("old");
        assertThat(cache.get(() -> "new")).isEqualTo("new");
        assertThat(cache.get(() -> "newer")).isEqualTo("new");
    }
}
