package com.flashline.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortPathsTest {

    @Test
    void busThenPortChainSeparatedByDots() {
        assertThat(PortPaths.of(1, new int[] {4, 2})).isEqualTo("1-4.2");
        assertThat(PortPaths.of(3, new int[] {1})).isEqualTo("3-1");
        assertThat(PortPaths.of(2, new int[] {1, 4, 2, 7})).isEqualTo("2-1.4.2.7");
    }

    @Test
    void aRootHubHasNoPortChain() {
        assertThat(PortPaths.of(1, new int[0])).isEqualTo("1");
    }

    @Test
    void impossibleNumbersAreRejected() {
        assertThatThrownBy(() -> PortPaths.of(1, new int[] {0})).hasMessageContaining("port number");
        assertThatThrownBy(() -> PortPaths.of(-1, new int[] {1})).hasMessageContaining("bus number");
        assertThatThrownBy(() -> PortPaths.of(1, new int[] {1, 1, 1, 1, 1, 1, 1, 1})).hasMessageContaining("deeper");
    }

    @Test
    void validationAcceptsSysfsPathsOnly() {
        assertThat(PortPaths.requireValid("1-4.2")).isEqualTo("1-4.2");
        for (String bad : new String[] {"1", "1-", "1-4.", "a-1", "1-4/2", "", "1-1.1.1.1.1.1.1.1"}) {
            assertThatThrownBy(() -> PortPaths.requireValid(bad)).as(bad).hasMessageContaining("port path");
        }
        assertThatThrownBy(() -> PortPaths.requireValid(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
