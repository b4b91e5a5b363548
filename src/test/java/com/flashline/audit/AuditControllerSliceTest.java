package com.flashline.audit;

import static com.flashline.support.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.support.ControllerSliceTest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The audit pull's REST contract (JSON and CSV), with the audit log mocked. */
@ControllerSliceTest(AuditController.class)
class AuditControllerSliceTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Autowired
    MockMvc mvc;
    @MockitoBean
    AuditLog auditLog;
    @MockitoBean
    AuditVerifier verifier;

    private static AuditRecord failed(long seq) {
        return new AuditRecord(seq, AuditType.JOB_FAILED, AT, "test-station", "1-2", "SN-1", "UID-1", null, 9L, 3L, 4L,
                "d".repeat(64), "1.0.0", "FAILED", "DEVICE_GONE", "device removed", 1500L, AT.minusSeconds(2), AT,
                null, "system", "a".repeat(64), "WO-7", "LOT-7", 2);
    }

    private static AuditRecord withDetail(long seq, String detail) {
        return new AuditRecord(seq, AuditType.RECIPE_CHANGED, AT, "test-station", null, null, null, null, null, 3L,
                null, null, null, null, null, null, null, null, null, detail, "tester", "b".repeat(64), null, null, 2);
    }

    @Test
    void jsonPullsAPageAfterTheCursorWithTheNextCursor() throws Exception {
        when(auditLog.after(41, 1)).thenReturn(new AuditPage(List.of(failed(42)), 42));
        mvc.perform(get("/api/v1/audit").param("after", "41").param("limit", "1"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.records.length()").value(1))
                .andExpect(jsonPath("$.records[0].seq").value(42))
                .andExpect(jsonPath("$.records[0].type").value("JOB_FAILED"))
                .andExpect(jsonPath("$.records[0].recordedAt").value("2026-01-01T00:00:00Z"))
                .andExpect(jsonPath("$.records[0].stationId").value("test-station"))
                .andExpect(jsonPath("$.records[0].port").value("1-2"))
                .andExpect(jsonPath("$.records[0].jobId").value(9))
                .andExpect(jsonPath("$.records[0].result").value("FAILED"))
                .andExpect(jsonPath("$.records[0].errorCode").value("DEVICE_GONE"))
                .andExpect(jsonPath("$.records[0].durationMs").value(1500))
                .andExpect(jsonPath("$.records[0].workOrder").value("WO-7"))
                .andExpect(jsonPath("$.records[0].lot").value("LOT-7"))
                .andExpect(jsonPath("$.records[0].chainVersion").value(2))
                .andExpect(jsonPath("$.next").value(42));
    }

    @Test
    void withoutParametersThePullStartsAtTheBeginningWithAHundredRecords() throws Exception {
        when(auditLog.after(0, 100)).thenReturn(new AuditPage(List.of(), 0));
        mvc.perform(get("/api/v1/audit"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.records.length()").value(0))
                .andExpect(jsonPath("$.next").value(0));
    }

    @Test
    void csvByAcceptHeaderOrByExtensionQuotesWhereNeeded() throws Exception {
        when(auditLog.after(6, 100)).thenReturn(new AuditPage(List.of(withDetail(7, "a,b \"quoted\"")), 7));
        String byAccept = mvc.perform(get("/api/v1/audit").param("after", "6").accept(MediaType.parseMediaType("text/csv")))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andExpect(header().string("X-Next-Cursor", "7"))
                .andReturn().getResponse().getContentAsString();
        String byExtension = mvc.perform(get("/api/v1/audit.csv").param("after", "6"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andExpect(header().string("X-Next-Cursor", "7"))
                .andReturn().getResponse().getContentAsString();

        assertThat(byAccept).isEqualTo(byExtension);
        String[] lines = byAccept.split("\r\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo(AuditCsv.HEADER);
        assertThat(lines[1]).startsWith("7,RECIPE_CHANGED,2026-01-01T00:00:00Z,test-station,")
                .endsWith(",\"a,b \"\"quoted\"\"\",tester," + "b".repeat(64) + ",,,2");
        assertThat(lines[0]).endsWith(",actor,hash,workOrder,lot,chainVersion");
    }

    @Test
    void verifyAnswersWithTheChainsState() throws Exception {
        when(verifier.verify()).thenReturn(new AuditVerification(false, 41, 50, "c".repeat(64), 42L));
        mvc.perform(get("/api/v1/audit/verify"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(false))
                .andExpect(jsonPath("$.records").value(41))
                .andExpect(jsonPath("$.headSeq").value(50))
                .andExpect(jsonPath("$.headHash").value("c".repeat(64)))
                .andExpect(jsonPath("$.firstInvalidSeq").value(42));
    }

    @Test
    void theCursorAndLimitAreValidated() throws Exception {
        mvc.perform(get("/api/v1/audit").param("limit", "5000")).andExpect(problem(400, "VALIDATION"));
        mvc.perform(get("/api/v1/audit").param("limit", "0")).andExpect(problem(400, "VALIDATION"));
        mvc.perform(get("/api/v1/audit").param("after", "-1")).andExpect(problem(400, "VALIDATION"));
        mvc.perform(get("/api/v1/audit.csv").param("limit", "1001")).andExpect(problem(400, "VALIDATION"));
        verifyNoInteractions(auditLog);
    }

    @Test
    void aMediaTypeItCannotProduceIsNotAcceptable() throws Exception {
        mvc.perform(get("/api/v1/audit").accept(MediaType.APPLICATION_XML)).andExpect(problem(406, "NOT_ACCEPTABLE"));
    }
}
