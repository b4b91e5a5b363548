package com.flashline.workorder;

import static com.flashline.support.Fixtures.TESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.device.SimulatedFixture;
import com.flashline.job.JobState;
import com.flashline.job.JobView;
import com.flashline.station.PortRegistry;
import com.flashline.station.PortState;
import com.flashline.station.PortStatus;
import com.flashline.station.StationService;
import com.flashline.station.UpdateStationRequest;
import com.flashline.support.Fixtures;
import com.flashline.support.SimulatedStation;
import com.flashline.support.SimulatedStationTest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A line running work orders on the simulated fixture with auto-start: the boards of the active
 * work order are flashed with its recipe and carry its number and lot in their jobs and audit
 * records (the chain verifies); when its passed count reaches the quantity it is complete, the
 * next board waits on its port saying why, and activating another work order flashes it.
 */
@SimulatedStationTest
class WorkOrderStationTest {

    @Autowired
    SimulatedStation simulated;
    @Autowired
    SimulatedFixture fixture;
    @Autowired
    WorkOrderService workOrders;
    @Autowired
    StationService station;
    @Autowired
    PortRegistry registry;
    @Autowired
    AuditLog auditLog;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;

    private final Instant since = Instant.now();

    @BeforeEach
    void emptyFixtureWithoutWorkOrder() {
        simulated.reset();
        closeActive();
    }

    /** Other test classes share this station: it is left without a work order and without auto-start. */
    @AfterEach
    void leaveNoWorkOrder() {
        closeActive();
        simulated.reset();
    }

    @Test
    void boardsAreFlashedUnderTheActiveWorkOrderUntilItIsCompleteThenWaitForTheNextOne() throws Exception {
        long recipe = simulated.recipe(SimulatedStation.applicationImage(16 * 1024, 15));
        WorkOrderView first = create(recipe, 2);
        WorkOrderView second = create(recipe, 5);
        long seq = lastSeq();
        activate(first);
        mvc.perform(get("/api/v1/station")).andExpect(jsonPath("$.activeWorkOrderId").value(first.id()));
        station.update(new UpdateStationRequest(null, true), TESTER); // no default recipe: the work order's

        List<String> ports = fixture.ports();
        fixture.plug(ports.get(0));
        fixture.plug(ports.get(1));
        JobView a = simulated.awaitOnlyJob(ports.get(0), 1, since);
        JobView b = simulated.awaitOnlyJob(ports.get(1), 1, since);
        for (JobView job : List.of(a, b)) {
            assertThat(job.state()).as("job %s: %s", job.id(), job.error()).isEqualTo(JobState.PASSED);
            assertThat(job.recipeId()).isEqualTo(recipe);
            assertThat(job.workOrder()).isEqualTo(first.number());
            assertThat(job.lot()).isEqualTo(first.lot());
        }
        await().atMost(SimulatedStation.JOB_TIMEOUT)
                .until(() -> workOrders.get(first.id()).state() == WorkOrderState.COMPLETE);
        mvc.perform(get("/api/v1/work-orders/{id}", first.id()).with(user("viewer").roles("VIEWER")))
                .andExpect(jsonPath("$.passed").value(2))
                .andExpect(jsonPath("$.failed").value(0))
                .andExpect(jsonPath("$.state").value("COMPLETE"));
        mvc.perform(get("/api/v1/jobs").param("workOrder", first.number()).with(user("mes").roles("MES")))
                .andExpect(jsonPath("$.totalElements").value(2))
                .andExpect(jsonPath("$.items[0].workOrder").value(first.number()))
                .andExpect(jsonPath("$.items[0].lot").value(first.lot()));

        List<AuditRecord> records = auditLog.after(seq, 1000).records();
        List<AuditRecord> passed = records.stream().filter(r -> r.type() == AuditType.JOB_PASSED
                && (Objects.equals(r.jobId(), a.id()) || Objects.equals(r.jobId(), b.id()))).toList();
        assertThat(passed).hasSize(2).allSatisfy(r -> {
            assertThat(r.workOrder()).isEqualTo(first.number());
            assertThat(r.lot()).isEqualTo(first.lot());
            assertThat(r.chainVersion()).isEqualTo(2);
        });
        assertThat(records).filteredOn(r -> r.type() == AuditType.WORK_ORDER_COMPLETED)
                .extracting(AuditRecord::workOrder).containsExactly(first.number());
        mvc.perform(get("/api/v1/audit/verify").with(user("mes").roles("MES")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(true));
        String csv = mvc.perform(get("/api/v1/audit.csv").param("after", Long.toString(seq)).param("limit", "1000"))
                .andReturn().getResponse().getContentAsString();
        assertThat(csv).contains("," + first.number() + "," + first.lot() + ",2\r\n");

        // The next board waits, and its port says why.
        String waiting = ports.get(2);
        fixture.plug(waiting);
        String reason = "work order " + first.number() + " is complete (2 of 2 passed): activate another work order";
        await().atMost(SimulatedStation.JOB_TIMEOUT).until(() -> registry.port(waiting)
                .filter(p -> p.state() == PortState.DEVICE_PRESENT && reason.equals(p.reason())).isPresent());
        mvc.perform(get("/api/v1/ports/{path}", waiting))
                .andExpect(jsonPath("$.state").value("DEVICE_PRESENT"))
                .andExpect(jsonPath("$.reason").value(reason));
        assertThat(simulated.jobsOn(waiting, since)).isEmpty();

        // Another work order: the waiting board is flashed under it.
        activate(second);
        JobView c = simulated.awaitOnlyJob(waiting, 1, since);
        assertThat(c.state()).as("job %s: %s", c.id(), c.error()).isEqualTo(JobState.PASSED);
        assertThat(c.workOrder()).isEqualTo(second.number());
        await().atMost(SimulatedStation.JOB_TIMEOUT).until(() -> workOrders.get(second.id()).passed() == 1);
        assertThat(workOrders.get(first.id()).state()).isEqualTo(WorkOrderState.COMPLETE);
        assertThat(registry.port(waiting).map(PortStatus::reason)).isEmpty();
    }

    private WorkOrderView create(long recipe, int quantity) {
        return workOrders.create(new CreateWorkOrderRequest(Fixtures.unique("WO"), "Sensor board",
                Fixtures.unique("LOT"), recipe, quantity), TESTER);
    }

    private void activate(WorkOrderView order) throws Exception {
        mvc.perform(post("/api/v1/work-orders/{id}/activate", order.id()).with(csrf())
                        .with(user("operator").roles("OPERATOR")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("ACTIVE"));
    }

    private void closeActive() {
        workOrders.activeWorkOrderId(station.stationId()).ifPresent(id -> workOrders.close(id, TESTER));
    }

    private long lastSeq() {
        return jdbc.queryForObject("SELECT last_seq FROM audit_head", Long.class);
    }
}
