package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.catalog.Firmware;
import com.flashline.catalog.FirmwareCatalog;
import com.flashline.catalog.Recipe;
import com.flashline.catalog.RecipeService;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.job.JobTransitions.Ending;
import com.flashline.station.DeviceSnapshot;
import com.flashline.station.PortRegistry;
import com.flashline.station.PortService;
import com.flashline.station.StationService;
import com.flashline.workorder.WorkOrderAdmission;
import com.flashline.workorder.WorkOrderService;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queues, cancels and looks up jobs. A queued job is handed to the {@link JobDispatcher} once
 * its row has committed; a port has at most one QUEUED or RUNNING job at a time.
 */
@Service
public class JobService {

    private static final Ending CANCELLED_WHILE_QUEUED = Ending.cancelled("cancelled before it started");

    private final JobRepository jobs;
    private final JobViews views;
    private final JobListQuery list;
    private final LiveJobs live;
    private final RecipeService recipes;
    private final FirmwareCatalog firmware;
    private final PortService ports;
    private final PortRegistry registry;
    private final StationService station;
    private final JobTransitions transitions;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<JobDispatcher> dispatcher;
    private final JobMetrics metrics;
    private final PortInterlock interlock;
    private final WorkOrderService workOrders;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ConcurrentMap<String, Object> portLocks = new ConcurrentHashMap<>();

    /** {@code recovery} is a parameter so that crash recovery has run before any job is queued. */
    JobService(JobRecovery recovery, JobRepository jobs, JobViews views, JobListQuery list, LiveJobs live,
            RecipeService recipes, FirmwareCatalog firmware, PortService ports, PortRegistry registry,
            StationService station, JobTransitions transitions, ApplicationEventPublisher events,
            ObjectProvider<JobDispatcher> dispatcher, JobMetrics metrics, PortInterlock interlock,
            WorkOrderService workOrders, PlatformTransactionManager transactionManager, Clock clock) {
        this.workOrders = workOrders;
        this.jobs = jobs;
        this.views = views;
        this.list = list;
        this.live = live;
        this.recipes = recipes;
        this.firmware = firmware;
        this.ports = ports;
        this.registry = registry;
        this.station = station;
        this.transitions = transitions;
        this.events = events;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.interlock = interlock;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Queues a job for the device on {@code port}, under the station's active work order if it has
     * one, with {@code recipeId} or, when null, the port's own recipe, else the work order's, else
     * the station default.
     *
     * @throws DomainException NO_DEVICE, NO_RECIPE, PORT_BUSY, PORT_DISABLED (interlocked),
     *                         WORK_ORDER_COMPLETE (the active work order has its quantity), or
     *                         VALIDATION for an unknown recipe
     */
    public JobView enqueue(String port, Long recipeId, Actor actor) {
        if (recipeId != null) {
            resolveRecipe(port, recipeId, null); // an unknown recipe is the request's fault, whatever the port's state
        } else if (ports.effectiveRecipeId(port).isEmpty() && workOrders.activeWorkOrderId(station.stationId()).isEmpty()) {
            // Nothing could say what to flash here, whatever is attached: that is the answer.
            throw new DomainException(ErrorCode.NO_RECIPE,
                    "no recipe given and none set for port " + port + ", as the station default or by an active work order");
        }
        // Only this station queues on its ports, so a per-port lock in this process is enough to
        // keep "one live job per port" without a database-wide lock.
        synchronized (portLocks.computeIfAbsent(port, p -> new Object())) {
            interlock.requireEnabled(port);
            DeviceSnapshot device = registry.device(port).orElseThrow(() ->
                    new DomainException(ErrorCode.NO_DEVICE, "no device is attached to port " + port));
            JobView queued = transactions.execute(status -> {
                if (list.anyLive(station.stationId(), port)) {
                    throw new DomainException(ErrorCode.PORT_BUSY, "port " + port + " already has a queued or running job");
                }
                // Holds the work order's row until the job's insert commits (WorkOrderService.admit).
                Optional<WorkOrderAdmission> order = workOrders.admit(station.stationId());
                Recipe recipe = resolveRecipe(port, recipeId, order.map(WorkOrderAdmission::recipeId).orElse(null));
                Firmware image = firmware.get(recipe.firmwareId());
                JobEntity job = jobs.saveAndFlush(new JobEntity(station.stationId(), port,
                        device.usb().serialNumber(), recipe.id(), image.id(), image.sha256(), clock.instant(), actor.name(),
                        order.map(WorkOrderAdmission::id).orElse(null), order.map(WorkOrderAdmission::number).orElse(null),
                        order.map(WorkOrderAdmission::lot).orElse(null)));
                events.publishEvent(new JobQueuedEvent(new QueuedJob(job.id(), port, recipe.id(), image.id(), actor)));
                return views.ofQueued(job);
            });
            registry.jobQueued(port, queued.id());
            metrics.queued();
            return queued;
        }
    }

    private Recipe resolveRecipe(String port, Long recipeId, Long workOrderRecipeId) {
        if (recipeId != null) {
            return recipes.find(recipeId).orElseThrow(() ->
                    DomainException.invalidField("recipeId", "recipe " + recipeId + " does not exist"));
        }
        if (workOrderRecipeId != null && ports.ownRecipeId(port).isEmpty()) {
            return recipes.find(workOrderRecipeId).orElseThrow(() -> new DomainException(ErrorCode.NO_RECIPE,
                    "recipe " + workOrderRecipeId + " of the active work order does not exist"));
        }
        Long effective = ports.effectiveRecipeId(port).orElseThrow(() -> new DomainException(ErrorCode.NO_RECIPE,
                "no recipe given and none set for port " + port + " or as the station default"));
        return recipes.find(effective).orElseThrow(() -> new DomainException(ErrorCode.NO_RECIPE,
                "recipe " + effective + " configured for port " + port + " does not exist"));
    }

    /**
     * Cancels a job: a QUEUED job becomes CANCELLED at once; a RUNNING job is flagged and the
     * pipeline stops at its next check and reports {@link JobRecorder#cancelled}.
     *
     * @throws DomainException NOT_FOUND, or CONFLICT when the job has already finished
     */
    public JobView cancel(long jobId, Actor actor) {
        JobView result = transactions.execute(status -> {
            JobEntity job = jobs.findByIdForUpdate(jobId).orElseThrow(() -> DomainException.notFound("Job", jobId));
            if (job.state().terminal()) {
                throw new DomainException(ErrorCode.CONFLICT, "job " + jobId + " is already " + job.state());
            }
            JobState before = job.state();
            job.cancelledBy(actor.name());
            if (before == JobState.QUEUED) {
                transitions.end(job, CANCELLED_WHILE_QUEUED);
            } else {
                transitions.requestCancel(job);
            }
            jobs.flush();
            events.publishEvent(new JobCancelRequestedEvent(jobId, job.port(), before));
            return views.of(job);
        });
        if (result.state() == JobState.CANCELLED) {
            transitions.announce(result, CANCELLED_WHILE_QUEUED);
        }
        JobDispatcher target = dispatcher.getIfAvailable();
        if (target != null) {
            target.cancel(jobId);
        }
        return result;
    }

    /** Whether the running pipeline should stop: polled between phases and blocks. */
    public boolean isCancelRequested(long jobId) {
        return live.cancelRequested(jobId);
    }

    @Transactional(readOnly = true)
    public JobView get(long jobId) {
        return jobs.findById(jobId).map(views::of).orElseThrow(() -> DomainException.notFound("Job", jobId));
    }

    /**
     * What the pipeline runs: the job's recipe and firmware as they were when it was queued. Both
     * never change once stored, and the dispatched job names them, so this reads no job row.
     */
    public JobSpec spec(QueuedJob job) {
        return new JobSpec(job.jobId(), job.port(), recipes.get(job.recipeId()), firmware.get(job.firmwareId()),
                job.startedBy());
    }

    /** Jobs of every station on this database, newest first; null filters match everything. */
    public JobPage search(JobState state, String port, String usbSerial, int page, int size) {
        return search(JobFilter.of(state, port, usbSerial), page, size);
    }

    /**
     * Jobs of every station on this database matching {@code filter}, newest first. No transaction:
     * the page, its count and its phases are plain SQL reads, and at READ COMMITTED (H2's and
     * PostgreSQL's default) a read-only transaction gives them no common snapshot anyway; opening
     * one (a JPA session bound to the thread) was about a tenth of the CPU of a {@code GET /jobs}
     * (docs/benchmarks.md, "servicecpu").
     */
    public JobPage search(JobFilter filter, int page, int size) {
        JobListQuery.Page result = list.page(filter, page, size);
        return new JobPage(views.of(result.rows()), page, size, result.total(),
                (int) Math.min(Integer.MAX_VALUE, (result.total() + size - 1) / size));
    }
}
