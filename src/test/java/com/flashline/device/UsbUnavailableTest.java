package com.flashline.device;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.support.FlashLineSpringTest;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** A station whose libusb cannot start still serves its API; health says why it sees no boards. */
@FlashLineSpringTest
@TestPropertySource(properties = "flashline.usb.enabled=true")
class UsbUnavailableTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class NoLibusb {
        @Bean
        UsbWatcher.Factory failingWatcherFactory() {
            return (settings, listener) -> {
                throw new UnsatisfiedLinkError("libusb4java native library not loadable");
            };
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void theServiceRunsAndHealthShowsUsbDownWithTheReason() throws Exception {
        mvc.perform(get("/actuator/health"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.components.deviceSources.status").value("DOWN"))
                .andExpect(jsonPath("$.components.deviceSources.details.usb.status").value("DOWN"))
                .andExpect(jsonPath("$.components.deviceSources.details.usb.reason")
                        .value(Matchers.containsString("libusb4java native library not loadable")));
        mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/api/v1/ports")).andExpect(status().isOk());
    }
}
