package com.flashline.events;

import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;

import com.flashline.support.FlashLineSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** An idle stream carries a heartbeat comment (every 15 s by default; here shortened). */
@FlashLineSpringTest
@TestPropertySource(properties = "flashline.events.heartbeat=200ms")
class EventStreamHeartbeatTest {

    @Autowired
    MockMvc mvc;

    @Test
    void anIdleStreamGetsHeartbeatComments() throws Exception {
        MockHttpServletResponse response = mvc.perform(get("/api/v1/events"))
                .andExpect(request().asyncStarted()).andReturn().getResponse();

        await().until(() -> response.getContentAsString().contains("event:station"));
        await().until(() -> response.getContentAsString().contains(":heartbeat\n\n"));
    }
}
