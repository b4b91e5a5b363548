package com.flashline.workorder;

import static com.flashline.support.Fixtures.TESTER;
import static com.flashline.support.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.audit.AuditVerifier;
import com.flashline.catalog.Recipe;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.error.FailureCode;
import com.flashline.job.JobDispatcher;
import com.flashline.job.JobFilter;
import com.flashline.job.JobRecorder;
import com.flashline.job.JobService;
import com.flashline.job.JobView;
import com.flashline.job.QueuedJob;
import com.flashline.station.PortRegistry;
import com.flashline.station.PortService;
import com.flashline.station.StationService;
import com.flashline.station.UpdatePortRequest;
import com.flashline.support.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Work orders on the database, with jobs queued, started and ended by hand (no worker runs them):
 * creation and its refusals, activation and close, jobs under the active work order with its
 * recipe, counting, completion, the in-flight rule and the job filter. Run on H2 and on
 * PostgreSQL by the subclasses; each test begins with no active work order on the station.
 */
abstract class WorkOrderContract {

    /** Jobs are queued but never run: the tests say how each one ends. */
    @TestConfiguration
    static class NoWorkers {
        @Bean
        @Primary
        JobDispatcher idleDispatcher() {
            return new JobDispatcher() {
                @Override
                public void dispatch(QueuedJob job) {
                }

                @Override
                public void cancel(long jobId) {
                }
            };
        }
    }

    private static final AtomicInteger PORTS = new AtomicInteger(1);

    @Autowired
    MockMvc mvc;
    @Autowired
    Fixtures fixtures;
    @Autowired
    WorkOrderService workOrders;
    @Autowired
    JobService jobs;
    @Autowired
    JobRecorder recorder;
    @Autowired
    PortRegistry registry;
    @Autowired
    PortService ports;
    @Autowired
    StationService station;
    @Autowired
    AuditLog auditLog;
    @Autowired
    AuditVerifier verifier;
    @Autowired
    JdbcTemplate jdbc;

    private Recipe recipe;

    @BeforeEach
    void noActiveWorkOrder() {
        recipe = fixtures.recipe();
        workOrders.activeWorkOrderId(station.stationId()).ifPresent(id -> workOrders.close(id, TESTER));
    }

    @Test
    void createAnswersWithTheWorkOrderAndRefusesDuplicatesAndUnknownRecipesWritingNothing() throws Exception {
        String number = Fixtures.unique("WO");
        String body = "{\"number\":\"" + number + "\",\"product\":\"Sensor\",\"lot\":\"L-1\",\"recipeId\":"
                + recipe.id() + ",\"quantity\":10}";
        String location = mvc.perform(post("/api/v1/work-orders").with(csrf()).with(user("eng").roles("ENGINEER"))
                        .contentType("application/json").content(body))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.number").value(number))
                .andExpect(jsonPath("$.state").value("OPEN"))
                .andExpect(jsonPath("$.passed").value(0))
                .andExpect(jsonPath("$.failed").value(0))
                .andExpect(jsonPath("$.createdBy").value("eng"))
                .andReturn().getResponse().getHeader("Location");
        mvc.perform(get(location).with(user("mes").roles("MES")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.lot").value("L-1"));

        int before = rows();
        long seq = lastSeq();
        mvc.perform(post("/api/v1/work-orders").with(csrf()).contentType("application/json").content(body))
                .andExpect(problem(409, "WORK_ORDER_EXISTS"))
                .andExpect(jsonPath("$.number").value(number));
        mvc.perform(post("/api/v1/work-orders").with(csrf()).contentType("application/json")
                        .content(body.replace(number, number + "-2").replace("\"recipeId\":" + recipe.id(),
                                "\"recipeId\":999999")))
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("recipeId"));
        assertThat(rows()).isEqualTo(before);
        assertThat(lastSeq()).isEqualTo(seq);
        AuditRecord created = records(AuditType.WORK_ORDER_CREATED, 0).stream()
                .filter(r -> number.equals(r.workOrder())).findFirst().orElseThrow();
        assertThat(created.actor()).isEqualTo("eng");
        assertThat(created.lot()).isEqualTo("L-1");

        mvc.perform(get("/api/v1/work-orders").param("state", "OPEN"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].number").value(number));
    }

    @Test
    void activatingReplacesTheStationsActiveWorkOrderAndClosingLeavesItWithout() throws Exception {
        WorkOrderView first = create(10);
        WorkOrderView second = create(10);
        long seq = lastSeq();

        mvc.perform(post("/api/v1/work-orders/{id}/activate", first.id()).with(csrf())
                        .with(user("op").roles("OPERATOR")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("ACTIVE"));
        mvc.perform(get("/api/v1/station")).andExpect(jsonPath("$.activeWorkOrderId").value(first.id()));
        workOrders.activate(second.id(), TESTER);
        assertThat(workOrders.get(first.id()).state()).isEqualTo(WorkOrderState.OPEN);
        assertThat(workOrders.get(second.id()).state()).isEqualTo(WorkOrderState.ACTIVE);
        assertThat(station.view().activeWorkOrderId()).isEqualTo(second.id());
        // Activating the active one again changes nothing.
        workOrders.activate(second.id(), TESTER);

        mvc.perform(post("/api/v1/work-orders/{id}/close", second.id()).with(csrf())
                        .with(user("eng").roles("ENGINEER")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("CLOSED"));
        mvc.perform(get("/api/v1/station")).andExpect(jsonPath("$.activeWorkOrderId").value(
                org.hamcrest.Matchers.nullValue()));
        mvc.perform(post("/api/v1/work-orders/{id}/activate", second.id()).with(csrf()))
                .andExpect(problem(409, "WORK_ORDER_CLOSED"));
        mvc.perform(post("/api/v1/work-orders/{id}/close", second.id()).with(csrf()))
                .andExpect(problem(409, "WORK_ORDER_CLOSED"));
        mvc.perform(post("/api/v1/work-orders/{id}/activate", 999999).with(csrf())).andExpect(problem(404, "NOT_FOUND"));

        List<AuditRecord> activated = records(AuditType.WORK_ORDER_ACTIVATED, seq);
        assertThat(activated).extracting(AuditRecord::workOrder).containsExactly(first.number(), second.number());
        assertThat(activated).extracting(AuditRecord::actor).containsExactly("op", TESTER.name());
        assertThat(activated.get(1).detail()).isEqualTo("replaces " + first.number() + " (back to OPEN)");
        AuditRecord closed = records(AuditType.WORK_ORDER_CLOSED, seq).get(0);
        assertThat(closed.actor()).isEqualTo("eng");
        assertThat(closed.workOrder()).isEqualTo(second.number());
        assertThat(verifier.verify().valid()).isTrue();
    }

    @Test
    void jobsRunUnderTheActiveWorkOrderWithItsRecipeUnlessThePortHasItsOwn() {
        Recipe own = fixtures.recipe();
        WorkOrderView order = create(10);
        workOrders.activate(order.id(), TESTER);
        String plain = attachedPort();
        String withOwn = attachedPort();
        ports.update(withOwn, new UpdatePortRequest(null, own.id()), TESTER);

        JobView onPlain = jobs.enqueue(plain, null, TESTER);
        JobView onOwn = jobs.enqueue(withOwn, null, TESTER);
        assertThat(onPlain.recipeId()).isEqualTo(order.recipeId());
        assertThat(onOwn.recipeId()).isEqualTo(own.id());
        assertThat(onPlain.workOrder()).isEqualTo(order.number());
        assertThat(onPlain.lot()).isEqualTo(order.lot());
        assertThat(onOwn.workOrder()).isEqualTo(order.number());
        assertThat(jdbc.queryForList("SELECT work_order_id FROM job WHERE id IN (?, ?)", Long.class, onPlain.id(),
                onOwn.id())).as("the rows count against the work order").containsExactly(order.id(), order.id());

        recorder.started(onPlain.id(), 1);
        recorder.passed(onPlain.id(), null);
        recorder.started(onOwn.id(), 1);
        recorder.failed(onOwn.id(), FailureCode.VERIFY_MISMATCH, "read back 0xff", null);
        WorkOrderView counted = workOrders.get(order.id());
        assertThat(counted.passed()).isEqualTo(1);
        assertThat(counted.failed()).isEqualTo(1);
        assertThat(counted.state()).isEqualTo(WorkOrderState.ACTIVE);

        assertThat(jobs.search(new JobFilter(null, null, null, null, null, null, order.number()), 0, 50).items())
                .extracting(JobView::id).containsExactly(onOwn.id(), onPlain.id());
        AuditRecord passed = records(AuditType.JOB_PASSED, 0).stream()
                .filter(r -> r.jobId() != null && r.jobId() == onPlain.id()).findFirst().orElseThrow();
        assertThat(passed.workOrder()).isEqualTo(order.number());
        assertThat(passed.lot()).isEqualTo(order.lot());
        assertThat(passed.chainVersion()).isEqualTo(2);
        assertThat(verifier.verify().valid()).isTrue();
    }

    @Test
    void passedReachingTheQuantityCompletesTheWorkOrderAndJobsInFlightStillCount() throws Exception {
        WorkOrderView order = create(2);
        workOrders.activate(order.id(), TESTER);
        long seq = lastSeq();
        // Three jobs in flight at once for a quantity of 2: all admitted while none had passed.
        List<JobView> inFlight = List.of(jobs.enqueue(attachedPort(), null, TESTER),
                jobs.enqueue(attachedPort(), null, TESTER), jobs.enqueue(attachedPort(), null, TESTER));
        inFlight.forEach(job -> recorder.started(job.id(), 1));
        recorder.passed(inFlight.get(0).id(), null);
        assertThat(workOrders.get(order.id()).state()).isEqualTo(WorkOrderState.ACTIVE);
        recorder.passed(inFlight.get(1).id(), null);
        assertThat(workOrders.get(order.id()).state()).isEqualTo(WorkOrderState.COMPLETE);

        String port = attachedPort();
        assertThatThrownBy(() -> jobs.enqueue(port, null, TESTER)).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.WORK_ORDER_COMPLETE);
            assertThat(e.getMessage()).isEqualTo("work order " + order.number()
                    + " is complete (2 of 2 passed): activate another work order");
        });
        mvc.perform(post("/api/v1/jobs").with(csrf()).contentType("application/json")
                        .content("{\"port\":\"" + port + "\"}"))
                .andExpect(problem(409, "WORK_ORDER_COMPLETE"))
                .andExpect(jsonPath("$.workOrder").value(order.number()))
                .andExpect(jsonPath("$.passed").value(2))
                .andExpect(jsonPath("$.quantity").value(2));
        mvc.perform(post("/api/v1/work-orders/{id}/activate", order.id()).with(csrf()))
                .andExpect(problem(409, "WORK_ORDER_COMPLETE"));
        // It stays the station's work order, complete, until another one is activated.
        assertThat(station.view().activeWorkOrderId()).isEqualTo(order.id());

        // The third job was in flight when it completed: it still counts, past the quantity.
        recorder.passed(inFlight.get(2).id(), null);
        WorkOrderView after = workOrders.get(order.id());
        assertThat(after.passed()).isEqualTo(3);
        assertThat(after.state()).isEqualTo(WorkOrderState.COMPLETE);
        List<AuditRecord> completed = records(AuditType.WORK_ORDER_COMPLETED, seq);
        assertThat(completed).hasSize(1);
        assertThat(completed.get(0).jobId()).isEqualTo(inFlight.get(1).id());
        assertThat(completed.get(0).detail()).isEqualTo("2 of 2 passed");
        assertThat(completed.get(0).workOrder()).isEqualTo(order.number());

        WorkOrderView next = create(5);
        workOrders.activate(next.id(), TESTER);
        assertThat(workOrders.get(order.id()).state()).isEqualTo(WorkOrderState.COMPLETE);
        assertThat(jobs.enqueue(port, null, TESTER).workOrder()).isEqualTo(next.number());
    }

    /**
     * Workers on several ports queue and pass jobs as fast as they can until the work order
     * refuses them: no count is lost, and it ends past its quantity by at most the jobs that were
     * in flight when it completed, fewer than the workers.
     */
    @Test
    void concurrentJobsOvershootByLessThanTheJobsInFlightAndNoCountIsLost() throws Exception {
        int quantity = 12;
        int workers = 4;
        WorkOrderView order = create(quantity);
        workOrders.activate(order.id(), TESTER);
        List<String> workerPorts = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            workerPorts.add(attachedPort());
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (String port : workerPorts) {
                done.add(pool.submit((Callable<Integer>) () -> {
                    go.await();
                    int passed = 0;
                    while (true) {
                        JobView job;
                        try {
                            job = jobs.enqueue(port, null, TESTER);
                        } catch (DomainException e) {
                            assertThat(e.code()).isEqualTo(ErrorCode.WORK_ORDER_COMPLETE);
                            return passed;
                        }
                        recorder.started(job.id(), 1);
                        recorder.passed(job.id(), null);
                        passed++;
                    }
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(3, TimeUnit.MINUTES);
            }
            WorkOrderView after = workOrders.get(order.id());
            assertThat(after.passed()).isEqualTo(total);
            assertThat(after.passed()).isBetween(quantity, quantity + workers - 1);
            assertThat(after.state()).isEqualTo(WorkOrderState.COMPLETE);
            assertThat(jobs.search(new JobFilter(null, null, null, null, null, null, order.number()), 0, 500)
                    .totalElements()).isEqualTo(total);
        } finally {
            pool.shutdownNow();
        }
        assertThat(verifier.verify().valid()).isTrue();
    }

    private WorkOrderView create(int quantity) {
        return workOrders.create(new CreateWorkOrderRequest(Fixtures.unique("WO"), "Sensor board",
                Fixtures.unique("LOT"), recipe.id(), quantity), TESTER);
    }

    private String attachedPort() {
        String port = "9-" + PORTS.getAndIncrement();
        registry.deviceArrived(port, Fixtures.device(port, "USB-" + port));
        return port;
    }

    private List<AuditRecord> records(AuditType type, long after) {
        return auditLog.after(after, 1000).records().stream().filter(r -> r.type() == type).toList();
    }

    private int rows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM work_order", Integer.class);
    }

    private long lastSeq() {
        return jdbc.queryForObject("SELECT last_seq FROM audit_head", Long.class);
    }
}
