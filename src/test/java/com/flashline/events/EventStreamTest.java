package com.flashline.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;

import com.flashline.device.SimulatedFixture;
import com.flashline.job.JobService;
import com.flashline.job.JobView;
import com.flashline.station.PortService;
import com.flashline.station.PortView;
import com.flashline.support.Fixtures;
import com.flashline.support.GatedClock;
import com.flashline.support.SimulatedStation;
import com.flashline.support.SimulatedStationTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * {@code GET /api/v1/events} on the simulated station: the snapshot on connect, then the port and
 * job events of a job, in the REST resources' JSON.
 */
@SimulatedStationTest
class EventStreamTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    SimulatedStation simulated;
    @Autowired
    SimulatedFixture fixture;
    @Autowired
    JobService jobs;
    @Autowired
    EventStream stream;
    @Autowired
    PortService ports;
    @Autowired
    GatedClock clock;


    @BeforeEach
    void emptyFixture() {
        simulated.reset();
        // Seen once, so that the station knows every port of the fixture.
        fixture.ports().forEach(port -> {
            fixture.plug(port);
            fixture.unplug(port);
        });
    }

    @AfterEach
    void disconnect() {
        stream.stop();
        stream.start();
        await().until(() -> stream.clients() == 0);
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void aNewClientGetsOnePortEventPerPortThenTheStation() throws Exception {
        MockHttpServletResponse response = connect();

        await().until(() -> events(response).contains("event:station"));
        String text = events(response);
        List<PortView> known = ports.list();
        for (PortView port : known) {
            assertThat(text).contains("\"path\":\"" + port.path() + "\"");
        }
        assertThat(count(text, "event:port")).isEqualTo(known.size());
        assertThat(text.indexOf("event:station")).isGreaterThan(text.lastIndexOf("event:port"));
        assertThat(response.getContentType()).startsWith("text/event-stream");
    }

    @Test
    void aJobIsSeenQueuedRunningAndFinishedAndItsPortChanges() throws Exception {
        String port = fixture.ports().get(2);
        long recipe = simulated.recipe(SimulatedStation.applicationImage(4096, 13));
        MockHttpServletResponse response = connect();
        await().until(() -> events(response).contains("event:station"));
        int snapshotLength = events(response).length();

        fixture.plug(port);
        // Held at its first timed wait (the board's erase or status poll), so that it is seen running.
        clock.close();
        JobView job = jobs.enqueue(port, recipe, Fixtures.TESTER);
        await().until(() -> events(response).contains("\"state\":\"RUNNING\""));
        clock.open();
        simulated.awaitFinal(job.id());

        await().atMost(Duration.ofSeconds(10)).until(() -> events(response).contains("\"state\":\"PASSED\""));
        String after = events(response).substring(snapshotLength);
        String jobId = "\"id\":" + job.id() + ",";
        assertThat(after).contains("event:job").contains(jobId).contains("\"state\":\"QUEUED\"");
        // A job event carries the job as it is when sent; the phases it went through are in its list.
        assertThat(after.substring(after.indexOf("\"state\":\"PASSED\""))).contains("{\"name\":\"WRITE\"");
        assertThat(after).contains("\"path\":\"" + port + "\"").contains("\"state\":\"FLASHING\"");
        assertThat(after.indexOf("\"state\":\"RUNNING\"")).isLessThan(after.indexOf("\"state\":\"PASSED\""));
    }

    @Test
    void everyClientGetsTheSameEventsEachWrittenOnce() throws Exception {
        MockHttpServletResponse first = connect();
        MockHttpServletResponse second = connect();
        await().until(() -> events(first).contains("event:station") && events(second).contains("event:station"));

        fixture.plug(fixture.ports().get(5));
        await().until(() -> events(first).contains("\"state\":\"DEVICE_PRESENT\"")
                && events(second).contains("\"state\":\"DEVICE_PRESENT\""));
        assertThat(events(first)).isEqualTo(events(second)).doesNotContain("\n\n\n");
    }

    @Test
    @WithMockUser(roles = "MES")
    void mesMayNotReadTheStream() throws Exception {
        mvc.perform(get("/api/v1/events"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isForbidden());
    }

    private MockHttpServletResponse connect() throws Exception {
        MvcResult result = mvc.perform(get("/api/v1/events")).andExpect(request().asyncStarted()).andReturn();
        return result.getResponse();
    }

    private static String events(MockHttpServletResponse response) throws Exception {
        return response.getContentAsString();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
