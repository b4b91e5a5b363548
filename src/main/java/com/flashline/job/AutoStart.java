package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.flashing.Phase;
import com.flashline.station.AutoStartPause;
import com.flashline.station.DeviceArrivedEvent;
import com.flashline.station.DeviceRemovedEvent;
import com.flashline.station.PortRegistry;
import com.flashline.station.PortState;
import com.flashline.station.PortStatus;
import com.flashline.station.StationService;
import com.flashline.workorder.ActiveWorkOrderChangedEvent;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * With {@code autoStart} on, a board arriving on a port that has a recipe is queued at once. A
 * board re-enumerating during its own job is left alone: after the reset of UNPROTECT or
 * OPTION_BYTES its job takes it up again itself, after LEAVE see below. One that passed and comes
 * back later without having been removed is held ({@link PassedBoardLatch}).
 *
 * <p>A board that resets into its bootloader after Leave (no valid application) comes back while
 * its job is still finishing, when the port is busy and a hold would be ignored. Such an arrival is
 * remembered and decided again when that job has finished: if it passed, the latch holds the board.
 *
 * <p>A board refused because the station's work order is complete waits on its port, which shows
 * why; when the station's active work order changes (another one is activated, or it is closed),
 * every board still waiting so is decided again.
 *
 * <p>While the {@link YieldGuard} has paused auto-start, an arriving board waits, its port saying
 * why; when an operator enables auto-start again, every board waiting so is decided anew.
 */
@Component
class AutoStart {

    private static final Logger log = LoggerFactory.getLogger(AutoStart.class);
    /** The phases after whose reset the job itself opens its board again. */
    private static final Set<Phase> RESETTING = EnumSet.of(Phase.UNPROTECT, Phase.OPTION_BYTES);

    private final StationService station;
    private final JobService jobs;
    private final PassedBoardLatch latch;
    private final PortRegistry registry;
    private final LiveJobs live;
    /** Port → the job that was leaving DFU mode when a board arrived there. Guarded by the port's lock. */
    private final Map<String, Long> arrivedDuringLeave = new ConcurrentHashMap<>();
    /**
     * Arrival and finish decisions are serialised per port, not station-wide: a fixture plugs
     * dozens of boards at once, and each arrival writes its job to the database, so one lock for
     * all ports made the last board of a batch wait for every other board's enqueue.
     */
    private final Map<String, Object> portLocks = new ConcurrentHashMap<>();
    /** Ports whose board waits for another work order. Changed under the port's lock. */
    private final Set<String> waitingForWorkOrder = ConcurrentHashMap.newKeySet();

    AutoStart(StationService station, JobService jobs, PassedBoardLatch latch, PortRegistry registry, LiveJobs live) {
        this.station = station;
        this.jobs = jobs;
        this.latch = latch;
        this.registry = registry;
        this.live = live;
    }

    @EventListener
    public void onArrival(DeviceArrivedEvent event) {
        if (!station.settings().autoStart()) {
            return;
        }
        synchronized (lockFor(event.path())) {
            decideOnArrival(event);
        }
    }

    private void decideOnArrival(DeviceArrivedEvent event) {
        if (registry.port(event.path()).filter(this::awaitingItsBoard).isPresent()) {
            log.debug("board on port {} is back from the reset its job caused", event.path());
            return;
        }
        Long leaving = registry.port(event.path()).filter(this::finishing).map(PortStatus::currentJobId).orElse(null);
        if (leaving != null) {
            arrivedDuringLeave.put(event.path(), leaving);
            if (registry.port(event.path()).map(PortStatus::currentJobId).filter(leaving::equals).isEmpty()) {
                decideAfterJob(event.path(), leaving); // it finished meanwhile; its event may have come and gone
            }
            return;
        }
        String held = latch.holdOnArrival(event.path(), event.device()).orElse(null);
        if (held != null) {
            registry.holdForRemoval(event.path(), held);
            log.info("board on port {} not queued: {}", event.path(), held);
            return;
        }
        queue(event.path());
    }

    private void queue(String path) {
        String paused = station.autoStartPause().map(AutoStartPause::reason).orElse(null);
        if (paused != null) {
            registry.waiting(path, "auto-start paused: " + paused + "; enable it with POST /api/v1/station/enable");
            log.info("board on port {} not queued: auto-start is paused", path);
            return;
        }
        try {
            JobView job = jobs.enqueue(path, null, Actor.SYSTEM);
            log.info("queued job {} for the board on port {}", job.id(), path);
        } catch (DomainException e) {
            if (e.code() == ErrorCode.WORK_ORDER_COMPLETE) {
                waitingForWorkOrder.add(path);
                registry.waiting(path, e.getMessage());
            }
            log.info("board on port {} not queued automatically: {}", path, e.getMessage());
        }
    }

    /** After the commit that changed the station's active work order: the waiting boards are decided again. */
    @EventListener
    public void onWorkOrderChanged(ActiveWorkOrderChangedEvent event) {
        if (!event.stationId().equals(station.stationId()) || !station.settings().autoStart()) {
            return;
        }
        for (String path : java.util.List.copyOf(waitingForWorkOrder)) {
            synchronized (lockFor(path)) {
                boolean stillWaiting = waitingForWorkOrder.remove(path) && registry.port(path)
                        .filter(p -> p.state() == PortState.DEVICE_PRESENT && p.device() != null
                                && p.currentJobId() == null)
                        .isPresent();
                if (stillWaiting) {
                    queue(path);
                }
            }
        }
    }

    @EventListener
    public void onRemoved(DeviceRemovedEvent event) {
        synchronized (lockFor(event.path())) {
            waitingForWorkOrder.remove(event.path());
        }
    }

    /** The yield guard let auto-start run again: the boards that waited on their ports are queued now. */
    @EventListener
    void onEnabled(YieldGuard.AutoStartEnabledEvent event) {
        registry.ports().stream()
                .filter(port -> port.state() == PortState.DEVICE_PRESENT && port.device() != null)
                .forEach(port -> {
                    registry.waiting(port.path(), null); // no longer waiting for that; a new reason may follow
                    onArrival(new DeviceArrivedEvent(port.path(), port.device()));
                });
    }

    @EventListener
    public void onFinished(JobFinishedEvent event) {
        synchronized (lockFor(event.job().port())) {
            decideAfterJob(event.job().port(), event.job().id());
        }
    }

    private Object lockFor(String path) {
        return portLocks.computeIfAbsent(path, p -> new Object());
    }

    /** The port's job reset its board (Read Unprotect, option bytes) and waits for it to enumerate again. */
    private boolean awaitingItsBoard(PortStatus port) {
        if (port.currentJobId() == null || port.state() != PortState.FLASHING) {
            return false;
        }
        return live.progress(port.currentJobId()).map(p -> RESETTING.contains(p.phase())).orElse(false);
    }

    /** The port's job runs its last phase (or has already left its live state): a board arriving now is the one it just flashed coming back. */
    private boolean finishing(PortStatus port) {
        if (port.currentJobId() == null || port.state() != PortState.FLASHING) {
            return false;
        }
        return live.progress(port.currentJobId()).map(p -> p.phase() == Phase.LEAVE).orElse(true);
    }

    private void decideAfterJob(String path, long jobId) {
        if (!arrivedDuringLeave.remove(path, jobId)) {
            return;
        }
        registry.device(path).flatMap(device -> latch.holdOnArrival(path, device)).ifPresent(held -> {
            registry.holdForRemoval(path, held);
            log.info("board on port {} came back after its job {} left DFU mode: {}", path, jobId, held);
        });
    }
}
