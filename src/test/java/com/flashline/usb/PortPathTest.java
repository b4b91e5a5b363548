package com.flashline.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortPathTest {

    @Test
    void busThenPortChainSeparatedByDots() {
        assertThat(PortPath.of(1, new int[] {4, 2})).hasToString("1-4.2");
        assertThat(PortPath.of(3, new int[] {1}).value()).isEqualTo("3-1");
        assertThat(PortPath.of(2, new int[] {1, 4, 2, 7})).isEqualTo(PortPath.parse("2-1.4.2.7"));
        assertThat(PortPath.of(255, new int[] {255, 1, 1, 1, 1, 1, 1})).hasToString("255-255.1.1.1.1.1.1");
    }

    @Test
    void aRootHubHasNoPortPath() {
        assertThatThrownBy(() -> PortPath.of(1, new int[0])).hasMessageContaining("root hub");
    }

    @Test
    void impossibleNumbersAreRejected() {
        assertThatThrownBy(() -> PortPath.of(1, new int[] {0})).hasMessageContaining("port number");
        assertThatThrownBy(() -> PortPath.of(1, new int[] {256})).hasMessageContaining("port number");
        assertThatThrownBy(() -> PortPath.of(-1, new int[] {1})).hasMessageContaining("bus number");
        assertThatThrownBy(() -> PortPath.of(1, new int[] {1, 1, 1, 1, 1, 1, 1, 1})).hasMessageContaining("deeper");
    }

    @Test
    void sysfsPathsAndTheSimulatorsSlotsAreAccepted() {
        for (String good : new String[] {"1-4.2", "3-1", "1-1.1.1.1.1.1.1", "sim-3", "a-1", "Fixture2-12"}) {
            assertThat(PortPath.parse(good).value()).isEqualTo(good);
            assertThat(PortPath.isValid(good)).as(good).isTrue();
        }
    }

    @Test
    void anythingElseIsRejectedNamingIt() {
        for (String bad : new String[] {"1", "1-", "1-4.", "-1", "1-4/2", "1-4..2", "", " 1-4", "1-1234",
                "1-1.1.1.1.1.1.1.1", "abcdefghijklmnopq-1", "sim_3-1", "../1-1"}) {
            assertThat(PortPath.isValid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> PortPath.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "' is not a port path");
        }
        assertThat(PortPath.isValid(null)).isFalse();
        assertThatThrownBy(() -> PortPath.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
