package com.flashline.job;

import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.error.FailureCode;
import static com.flashline.support.Fixtures.TESTER;
import com.flashline.flashing.Phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.catalog.Recipe;
import com.flashline.station.PortRegistry;
import com.flashline.station.PortState;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.Fixtures;
import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** The job seams end to end: queue → dispatch after commit → recorder calls → final row + audit. */
@FlashLineSpringTest
class JobLifecycleTest {

    private static final AtomicInteger PORTS = new AtomicInteger(1);

    /** Stands in for the worker pool: remembers what it was handed. */
    static class RecordingDispatcher implements JobDispatcher {
        final List<QueuedJob> dispatched = new CopyOnWriteArrayList<>();
        final List<Long> cancelled = new CopyOnWriteArrayList<>();

        @Override
        public void dispatch(QueuedJob job) {
            dispatched.add(job);
        }

        @Override
        public void cancel(long jobId) {
            cancelled.add(jobId);
        }
    }

    @TestConfiguration
    static class DispatcherConfig {
        @Bean
        @Primary
        RecordingDispatcher recordingDispatcher() {
            return new RecordingDispatcher();
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    Fixtures fixtures;
    @Autowired
    JobService jobs;
    @Autowired
    JobRecorder recorder;
    @Autowired
    PortRegistry registry;
    @Autowired
    AuditLog auditLog;
    @Autowired
    RecordingDispatcher dispatcher;
    @Autowired
    MeterRegistry meters;

    private String attachedPort(String usbSerial) {
        String port = "3-" + PORTS.getAndIncrement();
        registry.deviceArrived(port, Fixtures.device(port, usbSerial));
        return port;
    }

    @Test
    void aPassedJobRecordsPhasesProgressSerialAndAnAuditRecord() throws Exception {
        Recipe recipe = fixtures.serialisingRecipe("FL-{seq:06d}", 1);
        String port = attachedPort("USB-PASS");
        String created = mvc.perform(post("/api/v1/jobs").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"port\":\"%s\",\"recipeId\":%d}".formatted(port, recipe.id())))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.state").value("QUEUED"))
                .andExpect(jsonPath("$.usbSerial").value("USB-PASS"))
                .andExpect(jsonPath("$.firmwareSha256").value(recipe.firmwareSha256()))
                .andReturn().getResponse().getContentAsString();
        long id = ((Number) JsonPath.read(created, "$.id")).longValue();
        assertThat(dispatcher.dispatched).extracting(QueuedJob::jobId).contains(id);
        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.QUEUED);

        assertThat(recorder.started(id, 1)).isTrue();
        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.FLASHING);
        recorder.phaseStarted(id, Phase.CONNECT);
        recorder.phaseFinished(id, Phase.CONNECT, Duration.ofMillis(12));
        recorder.phaseStarted(id, Phase.IDENTIFY);
        recorder.pollPolicy(id, "SPEC_LITERAL");
        recorder.identified(id, "USB-PASS", "0123456789ABCDEF01234567");
        recorder.phaseFinished(id, Phase.IDENTIFY, Duration.ofMillis(3));
        recorder.phaseStarted(id, Phase.WRITE);
        recorder.progress(id, 512, 1024);

        mvc.perform(get("/api/v1/jobs/{id}", id))
                .andExpect(jsonPath("$.state").value("RUNNING"))
                .andExpect(jsonPath("$.phase").value("WRITE"))
                .andExpect(jsonPath("$.bytesDone").value(512))
                .andExpect(jsonPath("$.bytesTotal").value(1024))
                .andExpect(jsonPath("$.uid").value("0123456789ABCDEF01234567"))
                .andExpect(jsonPath("$.pollPolicy").value("SPEC_LITERAL"))
                .andExpect(jsonPath("$.phases.length()").value(2));

        recorder.progress(id, 1024, 1024);
        recorder.phaseFinished(id, Phase.WRITE, Duration.ofMillis(100));
        JobView passed = recorder.passed(id, "FL-000001");

        assertThat(passed.state()).isEqualTo(JobState.PASSED);
        assertThat(passed.bytesDone()).isEqualTo(1024);
        assertThat(passed.serialNumber()).isEqualTo("FL-000001");
        assertThat(passed.phases()).extracting(JobView.PhaseTiming::name)
                .containsExactly(Phase.CONNECT, Phase.IDENTIFY, Phase.WRITE);
        assertThat(passed.durationMs()).isNotNull();
        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.PASSED);
        assertThat(registry.port(port).orElseThrow().lastJobId()).isEqualTo(id);

        AuditRecord audit = auditFor(id, AuditType.JOB_PASSED);
        assertThat(audit.result()).isEqualTo("PASSED");
        assertThat(audit.chipUid()).isEqualTo("0123456789ABCDEF01234567");
        assertThat(audit.serialNumber()).isEqualTo("FL-000001");
        assertThat(audit.usbSerial()).isEqualTo("USB-PASS");
        assertThat(audit.port()).isEqualTo(port);
        assertThat(audit.firmwareSha256()).isEqualTo(recipe.firmwareSha256());
        assertThat(audit.firmwareVersion()).isEqualTo("1.0.0");
        assertThat(audit.stationId()).isEqualTo("test-station");
        assertThat(meters.counter("flashline.jobs.finished", "outcome", "PASSED", "code", "NONE").count()).isPositive();

        assertThatThrownBy(() -> recorder.failed(id, FailureCode.INTERNAL_ERROR, "too late", null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aVerifyFailureKeepsTheFirstMismatchAddress() throws Exception {
        Recipe recipe = fixtures.recipe();
        String port = attachedPort("USB-FAIL");
        long id = jobs.enqueue(port, recipe.id(), TESTER).id();
        recorder.started(id, 1);
        recorder.phaseStarted(id, Phase.VERIFY);
        recorder.failed(id, FailureCode.VERIFY_MISMATCH, "read back 0xff, wrote 0x00", 0x0800_0010L);

        mvc.perform(get("/api/v1/jobs/{id}", id))
                .andExpect(jsonPath("$.state").value("FAILED"))
                .andExpect(jsonPath("$.error.code").value("VERIFY_MISMATCH"))
                .andExpect(jsonPath("$.error.firstMismatchAddress").value(0x0800_0010L));
        AuditRecord audit = auditFor(id, AuditType.JOB_FAILED);
        assertThat(audit.errorCode()).isEqualTo("VERIFY_MISMATCH");
        assertThat(audit.detail()).isEqualTo("firstMismatchAddress=0x08000010");
        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.FAILED);
        assertThat(registry.port(port).orElseThrow().reason()).isEqualTo("VERIFY_MISMATCH");
    }

    @Test
    void aPortTakesOneLiveJobAtATime() {
        Recipe recipe = fixtures.recipe();
        String port = attachedPort("USB-BUSY");
        long first = jobs.enqueue(port, recipe.id(), TESTER).id();
        assertThatThrownBy(() -> jobs.enqueue(port, recipe.id(), TESTER))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PORT_BUSY));
        jobs.cancel(first, TESTER);
        assertThat(jobs.enqueue(port, recipe.id(), TESTER).state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceAndTheWorkerSkipsIt() throws Exception {
        Recipe recipe = fixtures.recipe();
        String port = attachedPort("USB-CQ");
        long id = jobs.enqueue(port, recipe.id(), TESTER).id();

        mvc.perform(post("/api/v1/jobs/{id}/cancel", id).with(csrf()))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.state").value("CANCELLED"));
        assertThat(dispatcher.cancelled).contains(id);
        assertThat(recorder.started(id, 1)).isFalse();
        assertThat(auditFor(id, AuditType.JOB_CANCELLED).result()).isEqualTo("CANCELLED");
        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.DONE_WAITING_REMOVAL);

        mvc.perform(post("/api/v1/jobs/{id}/cancel", id).with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("CONFLICT"));
    }

    @Test
    void cancellingARunningJobFlagsItUntilThePipelineStops() {
        Recipe recipe = fixtures.recipe();
        String port = attachedPort("USB-CR");
        long id = jobs.enqueue(port, recipe.id(), TESTER).id();
        recorder.started(id, 1);
        recorder.phaseStarted(id, Phase.ERASE);

        JobView flagged = jobs.cancel(id, TESTER);
        assertThat(flagged.state()).isEqualTo(JobState.RUNNING);
        assertThat(flagged.cancelRequested()).isTrue();
        assertThat(jobs.isCancelRequested(id)).isTrue();

        JobView cancelled = recorder.cancelled(id);
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.error().message()).contains("ERASE");
        assertThat(jobs.isCancelRequested(id)).isFalse();
    }

    @Test
    void autoStartQueuesABoardOnAPortWithARecipe() throws Exception {
        Recipe recipe = fixtures.recipe();
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put("/api/v1/station")
                        .with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"defaultRecipeId\":%d,\"autoStart\":true}".formatted(recipe.id())))
                .andExpect(status().isOk());
        try {
            String port = attachedPort("USB-AUTO");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(jobs.search(JobState.QUEUED, port, null, 0, 10).items()).hasSize(1));
            JobView job = jobs.search(null, port, null, 0, 10).items().get(0);
            assertThat(job.recipeId()).isEqualTo(recipe.id());
            assertThat(dispatcher.dispatched).extracting(QueuedJob::jobId).contains(job.id());
            jobs.cancel(job.id(), TESTER);
        } finally {
            mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put("/api/v1/station")
                    .with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{\"defaultRecipeId\":null,\"autoStart\":false}"));
        }
    }

    @Test
    void jobsCanBeFilteredAndPaged() throws Exception {
        Recipe recipe = fixtures.recipe();
        String port = attachedPort("USB-FILTER");
        long id = jobs.enqueue(port, recipe.id(), TESTER).id();
        mvc.perform(get("/api/v1/jobs").param("port", port).param("state", "QUEUED"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].id").value(id))
                .andExpect(jsonPath("$.totalElements").value(1));
        mvc.perform(get("/api/v1/jobs").param("usbSerial", "USB-FILTER").param("state", "PASSED"))
                .andExpect(jsonPath("$.items.length()").value(0));
        jobs.cancel(id, TESTER);
    }

    private AuditRecord auditFor(long jobId, AuditType type) {
        List<AuditRecord> records = auditLog.after(0, AuditLog.MAX_PAGE).records();
        long cursor = 0;
        while (true) {
            for (AuditRecord r : records) {
                if (r.type() == type && r.jobId() != null && r.jobId() == jobId) {
                    return r;
                }
                cursor = r.seq();
            }
            if (records.isEmpty()) {
                throw new AssertionError("no " + type + " audit record for job " + jobId);
            }
            records = auditLog.after(cursor, AuditLog.MAX_PAGE).records();
        }
    }
}
