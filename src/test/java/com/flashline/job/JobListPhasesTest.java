package com.flashline.job;

import static com.flashline.support.Fixtures.TESTER;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.catalog.Recipe;
import com.flashline.flashing.Phase;
import com.flashline.station.PortRegistry;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The job list reads the phases of a whole page at once; each job must still get exactly its own, in order. */
@FlashLineSpringTest
class JobListPhasesTest {

    @Autowired
    Fixtures fixtures;
    @Autowired
    JobService jobs;
    @Autowired
    JobRecorder recorder;
    @Autowired
    PortRegistry registry;

    @Test
    void everyJobOnAPageGetsItsOwnPhasesInOrder() {
        Recipe recipe = fixtures.recipe();
        long twoAttempts = enqueueOn("8-1", recipe);
        long none = enqueueOn("8-2", recipe);
        long three = enqueueOn("8-3", recipe);
        recorder.started(twoAttempts, 1);
        phase(twoAttempts, Phase.CONNECT, 11);
        recorder.started(three, 1);
        phase(three, Phase.CONNECT, 31);
        recorder.started(twoAttempts, 2);
        phase(twoAttempts, Phase.CONNECT, 12);
        phase(three, Phase.IDENTIFY, 32);
        phase(three, Phase.ERASE, 33);
        // A finished phase's timing is written with the job's next write: here, its outcome.
        recorder.passed(twoAttempts, null);
        recorder.passed(three, null);

        Map<Long, JobView> page = jobs.search(null, null, null, 0, 500).items().stream()
                .collect(Collectors.toMap(JobView::id, Function.identity()));

        assertThat(page.get(twoAttempts).phases()).containsExactly(
                new JobView.PhaseTiming(Phase.CONNECT, 1, 11), new JobView.PhaseTiming(Phase.CONNECT, 2, 12));
        assertThat(page.get(none).phases()).isEmpty();
        assertThat(page.get(three).phases()).extracting(JobView.PhaseTiming::durationMs).containsExactly(31L, 32L, 33L);
        for (long id : List.of(twoAttempts, none, three)) {
            assertThat(page.get(id).phases()).as("job %d as listed and as read alone", id).isEqualTo(jobs.get(id).phases());
        }
    }

    private long enqueueOn(String port, Recipe recipe) {
        registry.deviceArrived(port, Fixtures.device(port, "SN-" + port));
        return jobs.enqueue(port, recipe.id(), TESTER).id();
    }

    private void phase(long jobId, Phase phase, long millis) {
        recorder.phaseStarted(jobId, phase);
        recorder.phaseFinished(jobId, phase, Duration.ofMillis(millis));
    }
}
