package com.flashline.job;

import static com.flashline.support.Fixtures.TESTER;
import static com.flashline.support.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.catalog.Recipe;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.error.FailureCode;
import com.flashline.station.PortRegistry;
import com.flashline.station.PortState;
import com.flashline.support.Fixtures;
import com.flashline.support.FlashLineSpringTest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/** A port whose last three finished jobs failed is disabled until an operator enables it. */
@FlashLineSpringTest
@Import(JobLifecycleTest.DispatcherConfig.class)
class PortInterlockTest {

    private static final AtomicInteger PORTS = new AtomicInteger(1);

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
    PortInterlock interlock;
    @Autowired
    AuditLog auditLog;
    @Autowired
    JdbcTemplate jdbc;

    private Recipe recipe;
    private String port;

    @BeforeEach
    void attach() {
        recipe = fixtures.recipe();
        port = "7-" + PORTS.getAndIncrement();
        registry.deviceArrived(port, Fixtures.device(port, "USB-" + port));
    }

    @Test
    void threeFailedJobsInARowDisableThePortUntilAnOperatorEnablesIt() throws Exception {
        long seqBefore = lastSeq();
        fail();
        fail();
        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.FAILED);
        long third = fail();

        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.DISABLED);
        assertThat(registry.port(port).orElseThrow().reason()).contains("3 failed jobs in a row")
                .contains("job " + third).contains("VERIFY_MISMATCH");
        assertThatThrownBy(() -> jobs.enqueue(port, recipe.id(), TESTER)).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PORT_DISABLED));
        mvc.perform(post("/api/v1/jobs").with(csrf()).contentType("application/json")
                        .content("{\"port\":\"" + port + "\",\"recipeId\":" + recipe.id() + "}"))
                .andExpect(problem(409, "PORT_DISABLED"));
        mvc.perform(get("/api/v1/ports/{path}", port))
                .andExpect(jsonPath("$.state").value("DISABLED"))
                .andExpect(jsonPath("$.reason").value(org.hamcrest.Matchers.containsString("failed jobs in a row")));
        AuditRecord disabled = only(AuditType.PORT_DISABLED, seqBefore);
        assertThat(disabled.actor()).isEqualTo("system");
        assertThat(disabled.jobId()).isEqualTo(third);

        mvc.perform(post("/api/v1/ports/{path}/enable", port).with(csrf()).with(user("op").roles("OPERATOR")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("FAILED"));
        assertThat(only(AuditType.PORT_ENABLED, seqBefore).actor()).isEqualTo("op");

        // The failures before the enable do not count again: one more failure leaves it enabled.
        fail();
        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.FAILED);
    }

    @Test
    void aPassInBetweenStartsTheCountAgainAndCancelledJobsDoNotCount() {
        fail();
        fail();
        pass();
        fail();
        long cancelled = jobs.enqueue(port, recipe.id(), TESTER).id();
        jobs.cancel(cancelled, TESTER);
        fail();
        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.FAILED);
        fail();
        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.DISABLED);
    }

    @Test
    void aDisabledPortStaysDisabledAfterARestart() {
        fail();
        fail();
        fail();
        registry.enable(port); // the runtime state a restart loses
        assertThatThrownBy(() -> jobs.enqueue(port, recipe.id(), TESTER)).isInstanceOfSatisfying(DomainException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PORT_DISABLED));
        interlock.showDisabledPorts();
        assertThat(registry.port(port).orElseThrow().state()).isEqualTo(PortState.DISABLED);
    }

    @Test
    void enablingAPortThatIsNotDisabledIsAConflict() throws Exception {
        mvc.perform(post("/api/v1/ports/{path}/enable", port).with(csrf())).andExpect(problem(409, "CONFLICT"));
        mvc.perform(post("/api/v1/ports/{path}/enable", "not a port").with(csrf())).andExpect(problem(400, "VALIDATION"));
    }

    private long fail() {
        long id = jobs.enqueue(port, recipe.id(), TESTER).id();
        recorder.started(id, 1);
        recorder.failed(id, FailureCode.VERIFY_MISMATCH, "read back 0xff, wrote 0x00", null);
        return id;
    }

    private void pass() {
        long id = jobs.enqueue(port, recipe.id(), TESTER).id();
        recorder.started(id, 1);
        recorder.passed(id, null);
    }

    private AuditRecord only(AuditType type, long after) {
        List<AuditRecord> records = auditLog.after(after, 1000).records().stream()
                .filter(r -> r.type() == type && port.equals(r.port())).toList();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private long lastSeq() {
        return jdbc.queryForObject("SELECT last_seq FROM audit_head", Long.class);
    }
}
