package com.flashline.job;

import static com.flashline.support.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.flashing.Phase;
import com.flashline.support.ControllerSliceTest;
import com.flashline.support.Fixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.json.JsonMapper;

/** The jobs' REST contract, with the job service and the passed-board latch mocked. */
@ControllerSliceTest(JobController.class)
class JobControllerSliceTest {

    private static final Instant QUEUED_AT = Instant.parse("2026-01-01T00:00:00Z");

    @Autowired
    MockMvc mvc;
    @MockitoBean
    JobService jobs;
    @MockitoBean
    PassedBoardLatch latch;
    @Autowired
    JsonMapper json;
    @Autowired
    FinishedJobJson finishedJobJson;

    private static JobView queued(long id, String port) {
        return new JobView(id, "test-station", port, "SN-1", null, null, 3, 4, "c".repeat(64), JobState.QUEUED, null,
                0, 0, 0, null, false, QUEUED_AT, null, null, null, List.of(), null, "tester", null, null,
                null);
    }

    private static JobView failed(long id) {
        return new JobView(id, "test-station", "1-4.2", "SN-1", "0123456789ABCDEF01234567", "HELD_STATUS", 3, 4,
                "c".repeat(64),
                JobState.FAILED, Phase.VERIFY, 1024, 1024, 1, null, false, QUEUED_AT, QUEUED_AT.plusSeconds(1),
                QUEUED_AT.plusSeconds(3), 2000L, List.of(new JobView.PhaseTiming(Phase.CONNECT, 1, 12)),
                new JobView.Error("VERIFY_MISMATCH", "read back 0xff, wrote 0x00", 0x0800_0010L), "system", null,
                "WO-1", "LOT-1");
    }

    private ResultActions postJob(String body) throws Exception {
        return mvc.perform(post("/api/v1/jobs").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void aJobIsAcceptedWithItsLocationAfterTheLatchIsReleased() throws Exception {
        when(jobs.enqueue("1-4.2", 3L, Fixtures.TESTER)).thenReturn(queued(11, "1-4.2"));
        postJob("{\"port\":\"1-4.2\",\"recipeId\":3}")
                .andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/api/v1/jobs/11"))
                .andExpect(jsonPath("$.id").value(11))
                .andExpect(jsonPath("$.stationId").value("test-station"))
                .andExpect(jsonPath("$.port").value("1-4.2"))
                .andExpect(jsonPath("$.state").value("QUEUED"))
                .andExpect(jsonPath("$.usbSerial").value("SN-1"))
                .andExpect(jsonPath("$.recipeId").value(3))
                .andExpect(jsonPath("$.firmwareId").value(4))
                .andExpect(jsonPath("$.firmwareSha256").value("c".repeat(64)))
                .andExpect(jsonPath("$.queuedAt").value("2026-01-01T00:00:00Z"))
                .andExpect(jsonPath("$.phases.length()").value(0));
        InOrder order = inOrder(latch, jobs);
        order.verify(latch).release("1-4.2");
        order.verify(jobs).enqueue("1-4.2", 3L, Fixtures.TESTER);
    }

    @Test
    void withoutARecipeIdThePortsRecipeIsAskedFor() throws Exception {
        when(jobs.enqueue("sim-3", null, Fixtures.TESTER)).thenReturn(queued(12, "sim-3"));
        postJob("{\"port\":\"sim-3\"}").andExpect(status().isAccepted()).andExpect(jsonPath("$.id").value(12));
    }

    @Test
    void aBadPortOrRecipeIdNeverReachesTheService() throws Exception {
        postJob("{\"port\":\"../etc\"}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("port"));
        postJob("{}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("port"));
        postJob("{\"port\":\"1-1\",\"recipeId\":0}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("recipeId"));
        postJob("{\"port\":").andExpect(problem(400, "MALFORMED_REQUEST"));
        verifyNoInteractions(jobs, latch);
    }

    @Test
    void aPortThatCannotTakeAJobIsAConflict() throws Exception {
        when(jobs.enqueue(anyString(), any(), any()))
                .thenThrow(new DomainException(ErrorCode.NO_RECIPE, "no recipe given and none set for port 7-7"))
                .thenThrow(new DomainException(ErrorCode.NO_DEVICE, "no device is attached to port 7-7"))
                .thenThrow(new DomainException(ErrorCode.PORT_BUSY, "port 7-7 already has a queued or running job"))
                .thenThrow(DomainException.invalidField("recipeId", "recipe 99 does not exist"));
        postJob("{\"port\":\"7-7\"}").andExpect(problem(409, "NO_RECIPE"));
        postJob("{\"port\":\"7-7\"}").andExpect(problem(409, "NO_DEVICE"));
        postJob("{\"port\":\"7-7\"}").andExpect(problem(409, "PORT_BUSY"));
        postJob("{\"port\":\"7-7\",\"recipeId\":99}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("recipeId"));
    }

    @Test
    void theListPassesItsFiltersAndPage() throws Exception {
        when(jobs.search(JobFilter.of(JobState.FAILED, "1-4.2", "SN-1"), 2, 10))
                .thenReturn(new JobPage(List.of(failed(9)), 2, 10, 21, 3));
        mvc.perform(get("/api/v1/jobs").param("state", "FAILED").param("port", "1-4.2").param("usbSerial", "SN-1")
                        .param("page", "2").param("size", "10"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].id").value(9))
                .andExpect(jsonPath("$.items[0].pollPolicy").value("HELD_STATUS"))
                .andExpect(jsonPath("$.page").value(2))
                .andExpect(jsonPath("$.size").value(10))
                .andExpect(jsonPath("$.totalElements").value(21))
                .andExpect(jsonPath("$.totalPages").value(3));
    }

    @Test
    void theListFiltersBySerialNumberAndQueuedTimeRange() throws Exception {
        JobFilter filter = new JobFilter(null, null, null, "FL-000042", Instant.parse("2026-01-01T08:00:00Z"),
                Instant.parse("2026-01-01T16:00:00Z"));
        when(jobs.search(filter, 0, 50)).thenReturn(new JobPage(List.of(failed(9)), 0, 50, 1, 1));
        mvc.perform(get("/api/v1/jobs").param("serialNumber", "FL-000042").param("from", "2026-01-01T08:00:00Z")
                        .param("to", "2026-01-01T16:00:00Z"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].id").value(9));
    }

    @Test
    void theListFiltersByWorkOrderAndAJobShowsItsWorkOrderAndLot() throws Exception {
        JobFilter filter = new JobFilter(null, null, null, null, null, null, "WO-1");
        when(jobs.search(filter, 0, 50)).thenReturn(new JobPage(List.of(failed(9)), 0, 50, 1, 1));
        mvc.perform(get("/api/v1/jobs").param("workOrder", "WO-1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].workOrder").value("WO-1"))
                .andExpect(jsonPath("$.items[0].lot").value("LOT-1"));
        mvc.perform(get("/api/v1/jobs").param("workOrder", "W".repeat(65))).andExpect(problem(400, "VALIDATION"));
    }

    @Test
    void theListDefaultsToTheFirstPageOfFifty() throws Exception {
        when(jobs.search(JobFilter.of(null, null, null), 0, 50)).thenReturn(new JobPage(List.of(), 0, 50, 0, 0));
        mvc.perform(get("/api/v1/jobs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(0))
                .andExpect(jsonPath("$.size").value(50));
    }

    @Test
    void queryParametersAreValidated() throws Exception {
        mvc.perform(get("/api/v1/jobs").param("size", "0")).andExpect(problem(400, "VALIDATION"));
        mvc.perform(get("/api/v1/jobs").param("size", "501")).andExpect(problem(400, "VALIDATION"));
        mvc.perform(get("/api/v1/jobs").param("page", "-1")).andExpect(problem(400, "VALIDATION"));
        mvc.perform(get("/api/v1/jobs").param("state", "SLEEPING")).andExpect(problem(400, "VALIDATION"));
        mvc.perform(get("/api/v1/jobs").param("port", "../etc"))
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("port"));
        mvc.perform(get("/api/v1/jobs").param("usbSerial", "s".repeat(101))).andExpect(problem(400, "VALIDATION"));
        verifyNoInteractions(jobs);
    }

    @Test
    void oneJobShowsItsProgressPhasesAndError() throws Exception {
        when(jobs.get(9)).thenReturn(failed(9));
        mvc.perform(get("/api/v1/jobs/9"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("FAILED"))
                .andExpect(jsonPath("$.phase").value("VERIFY"))
                .andExpect(jsonPath("$.uid").value("0123456789ABCDEF01234567"))
                .andExpect(jsonPath("$.bytesDone").value(1024))
                .andExpect(jsonPath("$.bytesTotal").value(1024))
                .andExpect(jsonPath("$.attempt").value(1))
                .andExpect(jsonPath("$.cancelRequested").value(false))
                .andExpect(jsonPath("$.startedAt").value("2026-01-01T00:00:01Z"))
                .andExpect(jsonPath("$.finishedAt").value("2026-01-01T00:00:03Z"))
                .andExpect(jsonPath("$.durationMs").value(2000))
                .andExpect(jsonPath("$.phases[0].name").value("CONNECT"))
                .andExpect(jsonPath("$.phases[0].attempt").value(1))
                .andExpect(jsonPath("$.phases[0].durationMs").value(12))
                .andExpect(jsonPath("$.error.code").value("VERIFY_MISMATCH"))
                .andExpect(jsonPath("$.error.message").value("read back 0xff, wrote 0x00"))
                .andExpect(jsonPath("$.error.firstMismatchAddress").value(0x0800_0010L));
    }

    /** The service's own mapper keeps finished jobs' JSON; what it answers is what it would without. */
    @Test
    void finishedJobsAreAnsweredFromKeptJsonExactlyAsJacksonWritesThem() throws Exception {
        JobView finished = failed(42);
        JobPage page = new JobPage(List.of(queued(43, "1-4.3"), finished), 0, 50, 2, 1);
        when(jobs.get(42)).thenReturn(finished);
        when(jobs.search(JobFilter.of(null, null, null), 0, 50)).thenReturn(page);
        JsonMapper withoutKeptJson = json.rebuild().removeAllModules()
                .addModules(json.registeredModules().stream().filter(module -> !(module instanceof FinishedJobJson))
                        .toList())
                .build();
        long hits = finishedJobJson.hits();

        for (int i = 0; i < 2; i++) {
            assertThat(body(get("/api/v1/jobs/42"))).isEqualTo(withoutKeptJson.writeValueAsBytes(finished));
            assertThat(body(get("/api/v1/jobs"))).isEqualTo(withoutKeptJson.writeValueAsBytes(page));
        }
        // the first answer wrote job 42 and kept it; the three after wrote what was kept
        assertThat(finishedJobJson.hits() - hits).isEqualTo(3);
    }

    /** The service's mapper writes instants with the station's ISO writer (web.InstantJson), not DateTimeFormatter. */
    @Test
    void instantsAreWrittenByTheStationsIsoWriter() {
        assertThat(json._serializationContext().findValueSerializer(Instant.class).getClass().getName())
                .isEqualTo("com.flashline.web.InstantJson$IsoInstantSerializer");
    }

    private byte[] body(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
    }

    @Test
    void anUnknownJobIsNotFound() throws Exception {
        when(jobs.get(987654)).thenThrow(DomainException.notFound("Job", 987654));
        mvc.perform(get("/api/v1/jobs/987654"))
                .andExpect(problem(404, "NOT_FOUND"))
                .andExpect(jsonPath("$.detail").value("Job 987654 does not exist"));
        mvc.perform(get("/api/v1/jobs/abc")).andExpect(problem(400, "VALIDATION"));
    }

    @Test
    void cancellingIsAcceptedUnlessTheJobHasFinished() throws Exception {
        when(jobs.cancel(11, Fixtures.TESTER)).thenReturn(queued(11, "1-4.2"))
                .thenThrow(new DomainException(ErrorCode.CONFLICT, "job 11 is already CANCELLED"));
        mvc.perform(post("/api/v1/jobs/11/cancel"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.id").value(11));
        mvc.perform(post("/api/v1/jobs/11/cancel"))
                .andExpect(problem(409, "CONFLICT"))
                .andExpect(jsonPath("$.detail").value("job 11 is already CANCELLED"));
        mvc.perform(get("/api/v1/jobs/11/cancel")).andExpect(problem(405, "METHOD_NOT_ALLOWED"));
    }
}
