package com.flashline.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H2CommitDurabilityTest {

    @Test
    void anH2FileDatabaseWritesEveryCommit() {
        assertThat(H2CommitDurability.durable("jdbc:h2:file:./data/flashline;LOCK_TIMEOUT=10000"))
                .isEqualTo("jdbc:h2:file:./data/flashline;LOCK_TIMEOUT=10000;WRITE_DELAY=0");
        assertThat(H2CommitDurability.durable("jdbc:h2:./data/flashline"))
                .isEqualTo("jdbc:h2:./data/flashline;WRITE_DELAY=0");
    }

    @Test
    void otherDatabasesAndAnExplicitChoiceAreLeftAlone() {
        assertThat(H2CommitDurability.durable("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1"))
                .isEqualTo("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1");
        assertThat(H2CommitDurability.durable("jdbc:h2:file:./x;write_delay=500"))
                .isEqualTo("jdbc:h2:file:./x;write_delay=500");
        assertThat(H2CommitDurability.durable("jdbc:postgresql://db/flashline"))
                .isEqualTo("jdbc:postgresql://db/flashline");
    }
}
