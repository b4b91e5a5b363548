package com.flashline.audit;

import static com.flashline.support.Fixtures.TESTER;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.support.FlashLineSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

@FlashLineSpringTest
class AuditEndpointTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    AuditLog auditLog;

    @Test
    void jsonPullsPageWithTheCursor() throws Exception {
        long a = auditLog.append(AuditEntry.of(AuditType.JOB_PASSED, TESTER).port("1-1").detail("first").build());
        long b = auditLog.append(AuditEntry.of(AuditType.JOB_FAILED, TESTER).port("1-2").errorCode("DEVICE_GONE").build());
        mvc.perform(get("/api/v1/audit").param("after", Long.toString(a - 1)).param("limit", "1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.records.length()").value(1))
                .andExpect(jsonPath("$.records[0].seq").value(a))
                .andExpect(jsonPath("$.records[0].type").value("JOB_PASSED"))
                .andExpect(jsonPath("$.records[0].stationId").value("test-station"))
                .andExpect(jsonPath("$.next").value(a));
        mvc.perform(get("/api/v1/audit").param("after", Long.toString(a)))
                .andExpect(jsonPath("$.records[0].seq").value(b))
                .andExpect(jsonPath("$.records[0].errorCode").value("DEVICE_GONE"));
    }
}
