package com.flashline.station;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.support.Fixtures;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortRegistryTest {

    private static final String PORT = "1-4.2";

    private final List<Object> events = new ArrayList<>();
    private final PortRegistry registry = new PortRegistry(events::add,
            Clock.fixed(Instant.parse("2026-11-25T09:00:00Z"), ZoneOffset.UTC));

    @Test
    void aJobIsQueuedThenFlashedThenShowsItsVerdict() {
        registry.deviceArrived(PORT, Fixtures.device(PORT, "SN1"));

        registry.jobQueued(PORT, 7);
        assertThat(status()).extracting(PortStatus::state, PortStatus::currentJobId).containsExactly(PortState.QUEUED, 7L);
        registry.jobStarted(PORT, 7);
        assertThat(status()).extracting(PortStatus::state, PortStatus::currentJobId).containsExactly(PortState.FLASHING, 7L);
        registry.jobFinished(PORT, 7, PortState.PASSED, "passed");
        assertThat(status()).extracting(PortStatus::state, PortStatus::currentJobId, PortStatus::lastJobId)
                .containsExactly(PortState.PASSED, null, 7L);
    }

    @Test
    void aQueuedReportThatComesAfterItsWorkerStartedTheJobChangesNothing() {
        registry.deviceArrived(PORT, Fixtures.device(PORT, "SN1"));
        registry.jobStarted(PORT, 7);

        registry.jobQueued(PORT, 7);

        assertThat(status()).extracting(PortStatus::state, PortStatus::currentJobId).containsExactly(PortState.FLASHING, 7L);
    }

    @Test
    void aQueuedReportThatComesAfterTheJobFinishedChangesNothing() {
        passedJob(7);

        registry.jobQueued(PORT, 7);

        assertThat(status()).extracting(PortStatus::state, PortStatus::currentJobId, PortStatus::lastJobId)
                .containsExactly(PortState.PASSED, null, 7L);
    }

    @Test
    void theNextJobIsQueuedAfterThePreviousOneFinished() {
        passedJob(7);

        registry.jobQueued(PORT, 8);

        assertThat(status()).extracting(PortStatus::state, PortStatus::currentJobId, PortStatus::lastJobId)
                .containsExactly(PortState.QUEUED, 8L, 7L);
    }

    /** A board on the port whose job {@code jobId} ran and passed, without the queued report. */
    private void passedJob(long jobId) {
        registry.deviceArrived(PORT, Fixtures.device(PORT, "SN1"));
        registry.jobStarted(PORT, jobId);
        registry.jobFinished(PORT, jobId, PortState.PASSED, "passed");
    }

    private PortStatus status() {
        return registry.port(PORT).orElseThrow();
    }
}
