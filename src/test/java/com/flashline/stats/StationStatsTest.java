package com.flashline.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.device.SimulatedFixture;
import com.flashline.job.JobService;
import com.flashline.job.JobState;
import com.flashline.support.Fixtures;
import com.flashline.support.SimulatedStation;
import com.flashline.support.SimulatedStationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

/** {@code GET /api/v1/stats} counts a board that passed on this station today. */
@SimulatedStationTest
class StationStatsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    SimulatedStation simulated;
    @Autowired
    SimulatedFixture fixture;
    @Autowired
    JobService jobs;
    @Autowired
    StationStatsQuery stats;

    @BeforeEach
    void emptyFixture() {
        simulated.reset();
    }

    @Test
    void aPassedBoardCountsTodayInItsHourAndInTheLastHour() {
        StationStats before = stats.today();
        String port = fixture.ports().get(4);
        long recipe = simulated.recipe(SimulatedStation.applicationImage(2048, 5));
        fixture.plug(port);
        assertThat(simulated.awaitFinal(jobs.enqueue(port, recipe, Fixtures.TESTER).id()).state())
                .isEqualTo(JobState.PASSED);

        StationStats after = stats.today();
        assertThat(after.passed()).isEqualTo(before.passed() + 1);
        assertThat(after.failed()).isEqualTo(before.failed());
        assertThat(after.boardsLastHour()).isEqualTo(before.boardsLastHour() + 1);
        assertThat(after.hours().stream().mapToLong(StationStats.Hour::passed).sum()).isEqualTo(after.passed());
        assertThat(after.yield()).isNotNull();
        assertThat(after.since()).isBeforeOrEqualTo(after.hours().get(after.hours().size() - 1).start());
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void aViewerReadsTheStats() throws Exception {
        mvc.perform(get("/api/v1/stats"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.passed").isNumber())
                .andExpect(jsonPath("$.hours").isArray());
    }
}
