package com.flashline.workorder;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.catalog.RecipeService;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.station.ActiveWorkOrders;
import com.flashline.station.StationChangedEvent;
import com.flashline.station.StationService;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Work orders: created by an engineer, activated on a station by an operator, counted by the jobs
 * queued under them, completed when {@code passed} reaches the quantity, closed by an engineer.
 *
 * <p>Every change of a work order's state or counts is one statement on its row, made holding that
 * row's lock (like a job's, see {@code job.JobTransitions}), and audited in the same transaction:
 * <ul>
 * <li>a job is admitted ({@link #admit}) holding the station's active work order's row, so that a
 * job is either queued before the work order completes (and is one of the jobs in flight that may
 * still count) or refused after;</li>
 * <li>a job's outcome is counted ({@link #count}) in the transaction that records it;</li>
 * <li>activation and close lock the rows they change, the target first.</li>
 * </ul>
 * Rows are locked before the audit head (the audit record is appended last), as everywhere.
 */
@Service
public class WorkOrderService implements ActiveWorkOrders {

    private static final String COLUMNS = "id, number, lot, recipe_id, state, passed, quantity, active_station_id";

    /** A work order's row as the state changes read it, locked. */
    private record Locked(long id, String number, String lot, long recipeId, WorkOrderState state, int passed,
            int quantity, String activeStationId) {
    }

    private final WorkOrderRepository workOrders;
    private final JdbcClient jdbc;
    private final RecipeService recipes;
    private final StationService station;
    private final AuditLog auditLog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    /**
     * Only this station activates work orders on itself (the activation names no station: it is
     * the station that serves the request), so one lock in this process orders its activations;
     * without it, two at once could both find no active work order and collide on the unique
     * {@code active_station_id}.
     */
    private final Object activation = new Object();

    WorkOrderService(WorkOrderRepository workOrders, JdbcClient jdbc, RecipeService recipes, StationService station,
            AuditLog auditLog, ApplicationEventPublisher events, PlatformTransactionManager transactionManager,
            Clock clock) {
        this.workOrders = workOrders;
        this.jdbc = jdbc;
        this.recipes = recipes;
        this.station = station;
        this.auditLog = auditLog;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Creates an OPEN work order; audited as {@code WORK_ORDER_CREATED}.
     *
     * @throws DomainException VALIDATION for an unknown recipe, WORK_ORDER_EXISTS for a number in use
     */
    public WorkOrderView create(CreateWorkOrderRequest request, Actor actor) {
        String number = request.number().strip();
        if (recipes.find(request.recipeId()).isEmpty()) {
            throw DomainException.invalidField("recipeId", "recipe " + request.recipeId() + " does not exist");
        }
        try {
            return transactions.execute(status -> {
                if (workOrders.existsByNumber(number)) {
                    throw exists(number);
                }
                WorkOrderEntity created = workOrders.saveAndFlush(new WorkOrderEntity(number,
                        request.product().strip(), request.lot().strip(), request.recipeId(), request.quantity(),
                        clock.instant(), actor.name()));
                WorkOrderView view = created.view();
                auditLog.append(entry(AuditType.WORK_ORDER_CREATED, actor, view.number(), view.lot(), view.recipeId())
                        .detail("product=" + view.product() + " quantity=" + view.quantity())
                        .build());
                return view;
            });
        } catch (DataIntegrityViolationException raced) {
            // Another request created the same number between the check and the insert.
            if (workOrders.existsByNumber(number)) {
                throw exists(number);
            }
            throw raced;
        }
    }

    /** @throws DomainException NOT_FOUND */
    @Transactional(readOnly = true)
    public WorkOrderView get(long id) {
        return workOrders.findById(id).map(WorkOrderEntity::view)
                .orElseThrow(() -> DomainException.notFound("Work order", id));
    }

    /** Work orders, newest first; {@code state} null: all of them. */
    @Transactional(readOnly = true)
    public WorkOrderPage list(WorkOrderState state, int page, int size) {
        PageRequest request = PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "id"));
        Page<WorkOrderEntity> found = state == null ? workOrders.findAll(request)
                : workOrders.findByState(state, request);
        return new WorkOrderPage(found.map(WorkOrderEntity::view).toList(), page, size, found.getTotalElements(),
                found.getTotalPages());
    }

    /**
     * Makes the work order this station's active one; the one active before goes back to OPEN (a
     * COMPLETE one stays COMPLETE). Activating the station's ACTIVE one again changes nothing. Audited as
     * {@code WORK_ORDER_ACTIVATED}.
     *
     * @throws DomainException NOT_FOUND; WORK_ORDER_CLOSED, WORK_ORDER_COMPLETE; CONFLICT when it is
     *                         active on another station
     */
    public WorkOrderView activate(long id, Actor actor) {
        String stationId = station.stationId();
        WorkOrderView active;
        synchronized (activation) {
            active = transactions.execute(status -> {
                Locked target = lock("id = ?", id).orElseThrow(() -> DomainException.notFound("Work order", id));
                switch (target.state()) {
                    case CLOSED -> throw closed(target);
                    case COMPLETE -> throw complete(target);
                    case ACTIVE -> {
                        if (stationId.equals(target.activeStationId())) {
                            return get(id);
                        }
                        throw new DomainException(ErrorCode.CONFLICT, "work order " + target.number()
                                + " is active on station " + target.activeStationId() + "; close it there first",
                                Map.of("activeStationId", String.valueOf(target.activeStationId())));
                    }
                    case OPEN -> {
                    }
                }
                Optional<Locked> previous = lock("active_station_id = ?", stationId);
                previous.ifPresent(p -> jdbc.sql("UPDATE work_order SET state = ?, active_station_id = NULL, "
                                + "updated_at = ? WHERE id = ?")
                        .params(p.state() == WorkOrderState.ACTIVE ? WorkOrderState.OPEN.name() : p.state().name(),
                                now(), p.id())
                        .update());
                jdbc.sql("UPDATE work_order SET state = 'ACTIVE', active_station_id = ?, updated_at = ? WHERE id = ?")
                        .params(stationId, now(), id).update();
                auditLog.append(entry(AuditType.WORK_ORDER_ACTIVATED, actor, target.number(), target.lot(),
                        target.recipeId())
                        .detail(previous.map(p -> "replaces " + p.number() + " ("
                                + (p.state() == WorkOrderState.ACTIVE ? "back to OPEN" : p.state().name()) + ")")
                                .orElse("no work order was active"))
                        .build());
                stationChanged(stationId);
                return get(id);
            });
        }
        events.publishEvent(new ActiveWorkOrderChangedEvent(stationId, active.id()));
        return active;
    }

    /**
     * Closes the work order, from any state but CLOSED; if it was a station's active one, that
     * station has none any more. Audited as {@code WORK_ORDER_CLOSED}.
     *
     * @throws DomainException NOT_FOUND, WORK_ORDER_CLOSED
     */
    public WorkOrderView close(long id, Actor actor) {
        String[] releasedStation = new String[1];
        WorkOrderView closed = transactions.execute(status -> {
            Locked target = lock("id = ?", id).orElseThrow(() -> DomainException.notFound("Work order", id));
            if (target.state() == WorkOrderState.CLOSED) {
                throw closed(target);
            }
            jdbc.sql("UPDATE work_order SET state = 'CLOSED', active_station_id = NULL, updated_at = ? WHERE id = ?")
                    .params(now(), id).update();
            auditLog.append(entry(AuditType.WORK_ORDER_CLOSED, actor, target.number(), target.lot(), target.recipeId())
                    .detail("was " + target.state() + (target.activeStationId() == null ? ""
                            : " on station " + target.activeStationId())
                            + " with " + target.passed() + " of " + target.quantity() + " passed")
                    .build());
            if (target.activeStationId() != null) {
                releasedStation[0] = target.activeStationId();
                stationChanged(target.activeStationId());
            }
            return get(id);
        });
        if (releasedStation[0] != null) {
            events.publishEvent(new ActiveWorkOrderChangedEvent(releasedStation[0], null));
        }
        return closed;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<Long> activeWorkOrderId(String stationId) {
        return jdbc.sql("SELECT id FROM work_order WHERE active_station_id = ?").param(stationId)
                .query(Long.class).optional();
    }

    /**
     * The work order a job queued now on {@code stationId} runs under, in the caller's transaction,
     * which then holds its row until it commits: the job's insert and a completion cannot
     * interleave. Empty when the station has no active work order.
     *
     * @throws DomainException WORK_ORDER_COMPLETE when its {@code passed} count has reached its
     *                         quantity; the message says what to do, and is what a waiting port shows
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<WorkOrderAdmission> admit(String stationId) {
        Optional<Locked> active = lock("active_station_id = ?", stationId);
        if (active.isEmpty()) {
            return Optional.empty();
        }
        Locked order = active.get();
        if (order.state() == WorkOrderState.COMPLETE || order.passed() >= order.quantity()) {
            throw complete(order);
        }
        return Optional.of(new WorkOrderAdmission(order.id(), order.number(), order.lot(), order.recipeId()));
    }

    /**
     * Counts a job's outcome against the work order it was queued under, in the transaction that
     * records the outcome, before its audit record. When this brings {@code passed} to the quantity
     * of an OPEN or ACTIVE work order, it becomes COMPLETE: the caller appends its job's audit record,
     * then {@link #recordCompleted}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<WorkOrderCompletion> count(long workOrderId, boolean passed) {
        jdbc.sql("UPDATE work_order SET " + (passed ? "passed = passed + 1" : "failed = failed + 1")
                        + ", updated_at = ? WHERE id = ?")
                .params(now(), workOrderId).update();
        Locked order = lock("id = ?", workOrderId).orElseThrow(() ->
                new IllegalStateException("work order " + workOrderId + " of a job does not exist"));
        boolean completes = passed && order.passed() >= order.quantity()
                && (order.state() == WorkOrderState.OPEN || order.state() == WorkOrderState.ACTIVE);
        if (!completes) {
            return Optional.empty();
        }
        jdbc.sql("UPDATE work_order SET state = 'COMPLETE', updated_at = ? WHERE id = ?")
                .params(now(), workOrderId).update();
        if (order.activeStationId() != null) {
            stationChanged(order.activeStationId());
        }
        return Optional.of(new WorkOrderCompletion(order.id(), order.number(), order.lot(), order.recipeId(),
                order.passed(), order.quantity()));
    }

    /** The audit record of a completion, appended after the job's own, in the same transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordCompleted(WorkOrderCompletion completion, Long jobId, Actor actor) {
        auditLog.append(entry(AuditType.WORK_ORDER_COMPLETED, actor, completion.number(), completion.lot(),
                completion.recipeId())
                .jobId(jobId)
                .detail(completion.passed() + " of " + completion.quantity() + " passed")
                .build());
    }

    private Optional<Locked> lock(String condition, Object value) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM work_order WHERE " + condition + " FOR UPDATE")
                .param(value)
                .query((rs, row) -> new Locked(rs.getLong("id"), rs.getString("number"), rs.getString("lot"),
                        rs.getLong("recipe_id"), WorkOrderState.valueOf(rs.getString("state")), rs.getInt("passed"),
                        rs.getInt("quantity"), rs.getString("active_station_id")))
                .optional();
    }

    /** Inside the changing transaction: the live event stream sends the station again once it commits. */
    private void stationChanged(String stationId) {
        if (stationId.equals(station.stationId())) {
            events.publishEvent(new StationChangedEvent(station.view()));
        }
    }

    private static AuditEntry.Builder entry(AuditType type, Actor actor, String number, String lot, long recipeId) {
        return AuditEntry.of(type, actor).workOrder(number).lot(lot).recipeId(recipeId);
    }

    private static DomainException exists(String number) {
        return new DomainException(ErrorCode.WORK_ORDER_EXISTS, "work order " + number + " already exists",
                Map.of("number", number));
    }

    private static DomainException closed(Locked order) {
        return new DomainException(ErrorCode.WORK_ORDER_CLOSED, "work order " + order.number() + " is closed");
    }

    /** The reason a board waits on its port, word for word (docs/operations.md). */
    private static DomainException complete(Locked order) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("workOrder", order.number());
        details.put("passed", order.passed());
        details.put("quantity", order.quantity());
        return new DomainException(ErrorCode.WORK_ORDER_COMPLETE, "work order " + order.number() + " is complete ("
                + order.passed() + " of " + order.quantity() + " passed): activate another work order", details);
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
