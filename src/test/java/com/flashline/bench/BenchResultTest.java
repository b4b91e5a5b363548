package com.flashline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The result line format: a run with CPU hogs says so on every line, an ordinary run keeps its shape. */
class BenchResultTest {

    @Test
    void anOrdinaryResultHasNoHogField() {
        assertThat(BenchResult.atMost("serviceload", "ports.p99", 21.04, "ms", 50).toJson()).isEqualTo(
                "{\"benchmark\":\"serviceload\",\"metric\":\"ports.p99\",\"value\":21.040,\"unit\":\"ms\","
                        + "\"target\":50.000,\"pass\":true}");
    }

    @Test
    void aResultMeasuredWithHogsCarriesTheirCores() {
        BenchResult result = BenchResult.atLeast("scale", "N32.efficiency", 0.93, "x N*single", 0.95).withHog(1);

        assertThat(result.toJson()).isEqualTo("{\"benchmark\":\"scale\",\"metric\":\"N32.efficiency\",\"value\":0.930,"
                + "\"unit\":\"x N*single\",\"target\":0.950,\"pass\":false,\"hog\":1}");
        assertThat(result.pass()).isFalse();
    }
}
