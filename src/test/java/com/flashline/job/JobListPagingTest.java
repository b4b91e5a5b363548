package com.flashline.job;

import static com.flashline.support.Fixtures.TESTER;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.catalog.Recipe;
import com.flashline.station.PortRegistry;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Pages of the job list: newest first, and the same total whether the page was full (a count
 * query) or short (the total follows from the page), including a page past the end.
 */
@FlashLineSpringTest
class JobListPagingTest {

    private static final String PORT = "7-9";

    @Autowired
    Fixtures fixtures;
    @Autowired
    JobService jobs;
    @Autowired
    PortRegistry registry;

    @Test
    void pagesAreNewestFirstWithTheSameTotalWhetherFullShortOrPastTheEnd() {
        Recipe recipe = fixtures.recipe();
        registry.deviceArrived(PORT, Fixtures.device(PORT, "SN-PAGING"));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long id = jobs.enqueue(PORT, recipe.id(), TESTER).id();
            jobs.cancel(id, TESTER); // a queued job is cancelled at once, which frees the port for the next
            ids.add(0, id);
        }

        JobPage first = jobs.search(null, PORT, null, 0, 2);
        JobPage last = jobs.search(null, PORT, null, 2, 2);
        JobPage beyond = jobs.search(null, PORT, null, 3, 2);
        JobPage exact = jobs.search(null, PORT, null, 0, 5);
        JobPage roomy = jobs.search(null, PORT, null, 0, 50);

        assertThat(first.items()).extracting(JobView::id).containsExactly(ids.get(0), ids.get(1));
        assertThat(last.items()).extracting(JobView::id).containsExactly(ids.get(4));
        assertThat(beyond.items()).isEmpty();
        assertThat(exact.items()).extracting(JobView::id).containsExactlyElementsOf(ids);
        assertThat(roomy.items()).extracting(JobView::id).containsExactlyElementsOf(ids);
        for (JobPage page : List.of(first, last, beyond, exact, roomy)) {
            assertThat(page.totalElements()).as("total of page %d size %d", page.page(), page.size()).isEqualTo(5);
        }
        assertThat(first.totalPages()).isEqualTo(3);
        assertThat(roomy.totalPages()).isEqualTo(1);
        assertThat(jobs.search(JobState.CANCELLED, PORT, "SN-PAGING", 0, 50).items()).hasSize(5);
        assertThat(jobs.search(JobState.QUEUED, PORT, null, 0, 50).totalElements()).isZero();
    }

    @Test
    void theQueuedTimeRangeAndTheSerialNumberFilterTheList() {
        String port = "7-10";
        Recipe recipe = fixtures.recipe();
        registry.deviceArrived(port, Fixtures.device(port, "SN-RANGE"));
        long id = jobs.enqueue(port, recipe.id(), TESTER).id();
        jobs.cancel(id, TESTER);
        // As stored (the database keeps microseconds), not as the enqueue answered.
        JobView job = jobs.get(id);
        Instant queued = job.queuedAt();

        assertThat(jobs.search(new JobFilter(null, port, null, null, queued, queued.plusMillis(1)), 0, 50).items())
                .extracting(JobView::id).containsExactly(job.id());
        assertThat(jobs.search(new JobFilter(null, port, null, null, queued.plusMillis(1), null), 0, 50).items())
                .isEmpty();
        assertThat(jobs.search(new JobFilter(null, port, null, null, null, queued), 0, 50).items()).isEmpty();
        assertThat(jobs.search(new JobFilter(null, port, null, "FL-NOT-THERE", null, null), 0, 50).items()).isEmpty();
    }
}
