package com.flashline.job;

import static com.flashline.support.Fixtures.TESTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.catalog.Recipe;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.Fixtures;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

@FlashLineSpringTest
class JobPersistenceH2Test extends JobPersistenceContract {

    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    /**
     * Every arriving board asks whether its port has a live job. That must read the live rows
     * only: a plan that walks the port's finished jobs slows every arrival as the line's history
     * grows (H2 does so for an IN list on the index's first column).
     */
    @Test
    void theArrivalCheckReadsOnlyLiveRowsHoweverLongThePortsHistory() {
        Recipe recipe = fixtures.recipe();
        String port = "9-900";
        registry.deviceArrived(port, Fixtures.device(port, "SN-history"));
        for (int i = 0; i < 200; i++) {
            long id = jobs.enqueue(port, recipe.id(), TESTER).id();
            recorder.started(id, 1);
            recorder.passed(id, null);
        }
        long live = jobs.enqueue(port, recipe.id(), TESTER).id();
        String stationId = jdbc.queryForObject("SELECT station_id FROM job WHERE id = ?", String.class, live);

        assertThat(list.anyLive(stationId, port)).isTrue();
        for (JobState state : JobState.LIVE) {
            String plan = jdbc.queryForObject("EXPLAIN ANALYZE " + JobListQuery.COUNT_IN_STATE_ON_PORT, String.class,
                    state.name(), stationId, port);
            Matcher scanned = SCAN_COUNT.matcher(plan);
            assertThat(scanned.find()).as(plan).isTrue();
            // the matching rows (at most the one live job) plus the probe past them
            assertThat(Long.parseLong(scanned.group(1))).as(plan).isLessThanOrEqualTo(2);
        }
        recorder.started(live, 1);
        recorder.passed(live, null);
        assertThat(list.anyLive(stationId, port)).isFalse();
    }
}
