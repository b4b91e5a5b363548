package com.flashline.workorder;

import com.flashline.audit.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/work-orders")
@Tag(name = "Work orders", description = "What the line builds: product, lot, recipe and quantity, counted by the jobs")
class WorkOrderController {

    private final WorkOrderService workOrders;

    WorkOrderController(WorkOrderService workOrders) {
        this.workOrders = workOrders;
    }

    @Operation(summary = "Create a work order (OPEN)")
    @PostMapping
    ResponseEntity<WorkOrderView> create(@Valid @RequestBody CreateWorkOrderRequest request, Actor actor) {
        WorkOrderView created = workOrders.create(request, actor);
        return ResponseEntity.created(URI.create("/api/v1/work-orders/" + created.id())).body(created);
    }

    @Operation(summary = "Work orders, newest first, optionally of one state, paged")
    @GetMapping
    WorkOrderPage list(@RequestParam(required = false) WorkOrderState state,
                       @RequestParam(defaultValue = "0") @Min(0) int page,
                       @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return workOrders.list(state, page, size);
    }

    @Operation(summary = "One work order with its counts")
    @GetMapping("/{id}")
    WorkOrderView get(@PathVariable long id) {
        return workOrders.get(id);
    }

    @Operation(summary = "Make it this station's active work order (the previous one goes back to OPEN)")
    @PostMapping("/{id}/activate")
    WorkOrderView activate(@PathVariable long id, Actor actor) {
        return workOrders.activate(id, actor);
    }

    @Operation(summary = "Close it (final); a station whose active work order it was has none any more")
    @PostMapping("/{id}/close")
    WorkOrderView close(@PathVariable long id, Actor actor) {
        return workOrders.close(id, actor);
    }
}
