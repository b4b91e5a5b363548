package com.flashline.station;

import com.flashline.usb.PortPath;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * In-memory runtime state of every port this station has seen: the attached device, the current
 * and last job, and a {@link PortState}. The device watcher reports arrivals and removals; the
 * job side reports job start and end; REST reads it. Thread-safe: each port's state is replaced
 * atomically.
 */
@Component
public class PortRegistry {

    private final ConcurrentMap<String, PortStatus> ports = new ConcurrentHashMap<>();
    /** Interlocked ports → why; shown over the runtime state while no job runs there. */
    private final ConcurrentMap<String, String> disabled = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PortRegistry(ApplicationEventPublisher events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** A DFU device appeared on {@code path}; publishes {@link DeviceArrivedEvent}. */
    public void deviceArrived(String path, DeviceSnapshot device) {
        PortPath.parse(path);
        ports.compute(path, (p, old) -> {
            PortStatus current = old != null ? old : PortStatus.empty(p, clock.instant());
            PortState state = current.currentJobId() != null ? current.state() : PortState.DEVICE_PRESENT;
            return new PortStatus(p, state, null, device, current.currentJobId(), current.lastJobId(), clock.instant());
        });
        events.publishEvent(new DeviceArrivedEvent(path, device));
        changed(path);
    }

    /** The device left {@code path} for a reason the caller cannot tell ({@link Departure#UNKNOWN}). */
    public void deviceRemoved(String path) {
        deviceRemoved(path, Departure.UNKNOWN);
    }

    /**
     * The device left {@code path}. A job still running there keeps the port FLASHING until the
     * pipeline reports its failure. Publishes {@link DeviceRemovedEvent}.
     */
    public void deviceRemoved(String path, Departure departure) {
        PortStatus after = ports.compute(path, (p, old) -> {
            if (old == null) {
                return PortStatus.empty(p, clock.instant());
            }
            if (old.currentJobId() != null) {
                return new PortStatus(p, old.state(), "device removed", null, old.currentJobId(), old.lastJobId(),
                        clock.instant());
            }
            return new PortStatus(p, PortState.EMPTY, null, null, null, old.lastJobId(), clock.instant());
        });
        events.publishEvent(new DeviceRemovedEvent(path, after.currentJobId(), departure));
        changed(path);
    }

    /** Records the chip UID read by a job on the device currently on {@code path}. */
    public void chipIdentified(String path, String chipUid) {
        ports.computeIfPresent(path, (p, old) -> old.device() == null ? old
                : new PortStatus(p, old.state(), old.reason(), old.device().withChipUid(chipUid), old.currentJobId(),
                        old.lastJobId(), old.since()));
        changed(path);
    }

    /**
     * The job was queued on {@code path}. Its queuer reports this once the job has committed, and
     * by then a free worker may already have started it, or even finished it: a job's port never
     * goes back to QUEUED from a later state (a board arriving during the job's Leave would
     * otherwise find the port merely QUEUED and be taken for a new board).
     */
    public void jobQueued(String path, long jobId) {
        ports.compute(path, (p, old) -> {
            PortStatus base = old != null ? old : PortStatus.empty(p, clock.instant());
            boolean alreadyFurther = Long.valueOf(jobId).equals(base.lastJobId())
                    || Long.valueOf(jobId).equals(base.currentJobId()) && base.state() != PortState.QUEUED;
            return alreadyFurther ? base : running(base, jobId, PortState.QUEUED);
        });
        changed(path);
    }

    public void jobStarted(String path, long jobId) {
        ports.compute(path, (p, old) -> running(old != null ? old : PortStatus.empty(p, clock.instant()), jobId,
                PortState.FLASHING));
        changed(path);
    }

    /**
     * The job on {@code path} ended. With the board still attached the port shows the verdict
     * ({@code outcome}: PASSED, FAILED or DONE_WAITING_REMOVAL) until it is removed.
     */
    public void jobFinished(String path, long jobId, PortState outcome, String reason) {
        ports.compute(path, (p, old) -> {
            PortStatus current = old != null ? old : PortStatus.empty(p, clock.instant());
            if (current.currentJobId() != null && current.currentJobId() != jobId) {
                return current; // a stale report for a job this port no longer runs
            }
            PortState state = current.device() != null ? outcome : PortState.EMPTY;
            return new PortStatus(p, state, reason, current.device(), null, jobId, clock.instant());
        });
        changed(path);
    }

    /**
     * The board on {@code path} must be removed before anything else happens there (it already
     * passed and came back without being removed). Ignored while a job runs on the port.
     */
    public void holdForRemoval(String path, String reason) {
        ports.computeIfPresent(path, (p, old) -> old.currentJobId() != null ? old
                : new PortStatus(p, PortState.DONE_WAITING_REMOVAL, reason, old.device(), null, old.lastJobId(),
                        clock.instant()));
        changed(path);
    }

    /**
     * The board on {@code path} was not queued and waits for something (e.g. another work order);
     * the port stays DEVICE_PRESENT and shows {@code reason} until the board leaves or a job starts.
     * Ignored while a job runs on the port.
     */
    public void waiting(String path, String reason) {
        ports.computeIfPresent(path, (p, old) -> old.currentJobId() != null || old.device() == null ? old
                : new PortStatus(p, PortState.DEVICE_PRESENT, reason, old.device(), null, old.lastJobId(),
                        clock.instant()));
        changed(path);
    }

    /** How many ports have a device attached right now. */
    public int attachedDevices() {
        return (int) ports.values().stream().filter(p -> p.device() != null).count();
    }

    /** A port's label or recipe was changed (in the caller's transaction): its view changes too. */
    void settingsChanged(String path) {
        changed(path);
    }

    /** Tells the listeners of {@link PortChangedEvent} (the live event stream) that {@code path} may look different. */
    private void changed(String path) {
        events.publishEvent(new PortChangedEvent(path));
    }

    private PortStatus running(PortStatus base, long jobId, PortState state) {
        return new PortStatus(base.path(), state, null, base.device(), jobId, base.lastJobId(), clock.instant());
    }

    /** The port is interlocked (job side: {@code job.PortInterlock}); it shows DISABLED with the reason. */
    public void disable(String path, String reason) {
        ports.putIfAbsent(path, PortStatus.empty(path, clock.instant()));
        disabled.put(path, reason);
        changed(path); // the live stream shows the port DISABLED (the dashboard's Enable action)
    }

    public void enable(String path) {
        disabled.remove(path);
        changed(path);
    }

    public Optional<PortStatus> port(String path) {
        return Optional.ofNullable(ports.get(path)).map(this::withInterlock);
    }

    private PortStatus withInterlock(PortStatus status) {
        String reason = disabled.get(status.path());
        return reason == null || status.currentJobId() != null ? status
                : new PortStatus(status.path(), PortState.DISABLED, reason, status.device(), null, status.lastJobId(),
                        status.since());
    }

    public Optional<DeviceSnapshot> device(String path) {
        return port(path).map(PortStatus::device);
    }

    /** Every port seen since start-up, by path. */
    public List<PortStatus> ports() {
        return ports.values().stream().map(this::withInterlock).sorted(Comparator.comparing(PortStatus::path)).toList();
    }
}
