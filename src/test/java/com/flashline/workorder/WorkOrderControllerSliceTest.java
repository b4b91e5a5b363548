package com.flashline.workorder;

import static com.flashline.support.Problems.problem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.support.ControllerSliceTest;
import com.flashline.support.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** The work orders' REST contract, with the service mocked. */
@ControllerSliceTest(WorkOrderController.class)
class WorkOrderControllerSliceTest {

    private static final Instant CREATED = Instant.parse("2026-01-01T08:00:00Z");

    @Autowired
    MockMvc mvc;
    @MockitoBean
    WorkOrderService workOrders;

    private static WorkOrderView view(long id, WorkOrderState state, int passed) {
        return new WorkOrderView(id, "WO-" + id, "Sensor board", "LOT-" + id, 3, 100, passed, 2, state, CREATED,
                "engineer");
    }

    private ResultActions postJson(String body) throws Exception {
        return mvc.perform(post("/api/v1/work-orders").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void createAnswers201WithTheWorkOrderAndItsLocation() throws Exception {
        CreateWorkOrderRequest request = new CreateWorkOrderRequest("WO-7", "Sensor board", "LOT-7", 3L, 100);
        when(workOrders.create(request, Fixtures.TESTER)).thenReturn(view(7, WorkOrderState.OPEN, 0));
        postJson("{\"number\":\"WO-7\",\"product\":\"Sensor board\",\"lot\":\"LOT-7\",\"recipeId\":3,\"quantity\":100}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/work-orders/7"))
                .andExpect(jsonPath("$.id").value(7))
                .andExpect(jsonPath("$.number").value("WO-7"))
                .andExpect(jsonPath("$.product").value("Sensor board"))
                .andExpect(jsonPath("$.lot").value("LOT-7"))
                .andExpect(jsonPath("$.recipeId").value(3))
                .andExpect(jsonPath("$.quantity").value(100))
                .andExpect(jsonPath("$.passed").value(0))
                .andExpect(jsonPath("$.failed").value(2))
                .andExpect(jsonPath("$.state").value("OPEN"))
                .andExpect(jsonPath("$.createdAt").value("2026-01-01T08:00:00Z"))
                .andExpect(jsonPath("$.createdBy").value("engineer"));
    }

    @Test
    void requestsBreakingTheRulesNeverReachTheService() throws Exception {
        String valid = "\"product\":\"P\",\"lot\":\"L\",\"recipeId\":3,\"quantity\":1";
        postJson("{\"number\":\" \"," + valid + "}")
                .andExpect(problem(400, "VALIDATION")).andExpect(jsonPath("$.errors[0].field").value("number"));
        postJson("{\"number\":\"" + "N".repeat(65) + "\"," + valid + "}")
                .andExpect(problem(400, "VALIDATION")).andExpect(jsonPath("$.errors[0].field").value("number"));
        postJson("{\"number\":\"WO\",\"product\":\"P\",\"lot\":\"L\",\"recipeId\":3,\"quantity\":0}")
                .andExpect(problem(400, "VALIDATION")).andExpect(jsonPath("$.errors[0].field").value("quantity"));
        postJson("{\"number\":\"WO\",\"product\":\"P\",\"lot\":\"\",\"recipeId\":3,\"quantity\":5}")
                .andExpect(problem(400, "VALIDATION")).andExpect(jsonPath("$.errors[0].field").value("lot"));
        postJson("{\"number\":\"WO\",\"product\":\"P\",\"lot\":\"L\",\"quantity\":5}")
                .andExpect(problem(400, "VALIDATION")).andExpect(jsonPath("$.errors[0].field").value("recipeId"));
        postJson("{\"number\":\"WO\",\"product\":\"P\",\"lot\":\"L\",\"recipeId\":3,\"quantity\":\"many\"}")
                .andExpect(problem(400, "MALFORMED_REQUEST"));
        mvc.perform(get("/api/v1/work-orders").param("state", "DONE")).andExpect(problem(400, "VALIDATION"));
        mvc.perform(get("/api/v1/work-orders").param("size", "501")).andExpect(problem(400, "VALIDATION"));
        verifyNoInteractions(workOrders);
    }

    @Test
    void theServicesRefusalsArePassedOnWithTheirCodes() throws Exception {
        when(workOrders.create(any(), any())).thenThrow(new DomainException(ErrorCode.WORK_ORDER_EXISTS,
                "work order WO-1 already exists", Map.of("number", "WO-1")));
        postJson("{\"number\":\"WO-1\",\"product\":\"P\",\"lot\":\"L\",\"recipeId\":3,\"quantity\":5}")
                .andExpect(problem(409, "WORK_ORDER_EXISTS"))
                .andExpect(jsonPath("$.number").value("WO-1"));
        when(workOrders.activate(5, Fixtures.TESTER)).thenThrow(new DomainException(ErrorCode.WORK_ORDER_COMPLETE,
                "work order WO-5 is complete (100 of 100 passed): activate another work order"));
        mvc.perform(post("/api/v1/work-orders/5/activate")).andExpect(problem(409, "WORK_ORDER_COMPLETE"));
        when(workOrders.close(6, Fixtures.TESTER)).thenThrow(new DomainException(ErrorCode.WORK_ORDER_CLOSED,
                "work order WO-6 is closed"));
        mvc.perform(post("/api/v1/work-orders/6/close")).andExpect(problem(409, "WORK_ORDER_CLOSED"));
        when(workOrders.get(404)).thenThrow(DomainException.notFound("Work order", 404));
        mvc.perform(get("/api/v1/work-orders/404")).andExpect(problem(404, "NOT_FOUND"));
    }

    @Test
    void activateCloseAndTheListAnswerWithTheWorkOrders() throws Exception {
        when(workOrders.activate(4, Fixtures.TESTER)).thenReturn(view(4, WorkOrderState.ACTIVE, 10));
        mvc.perform(post("/api/v1/work-orders/4/activate"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("ACTIVE"));
        when(workOrders.close(4, Fixtures.TESTER)).thenReturn(view(4, WorkOrderState.CLOSED, 10));
        mvc.perform(post("/api/v1/work-orders/4/close"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("CLOSED"));
        when(workOrders.list(WorkOrderState.COMPLETE, 1, 10))
                .thenReturn(new WorkOrderPage(List.of(view(3, WorkOrderState.COMPLETE, 100)), 1, 10, 11, 2));
        mvc.perform(get("/api/v1/work-orders").param("state", "COMPLETE").param("page", "1").param("size", "10"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].passed").value(100))
                .andExpect(jsonPath("$.totalElements").value(11))
                .andExpect(jsonPath("$.totalPages").value(2));
        when(workOrders.get(3)).thenReturn(view(3, WorkOrderState.COMPLETE, 100));
        mvc.perform(get("/api/v1/work-orders/3")).andExpect(jsonPath("$.state").value("COMPLETE"));
    }
}
