package com.flashline.events;

import com.flashline.job.JobFinishedEvent;
import com.flashline.job.JobProgressEvent;
import com.flashline.job.JobQueuedEvent;
import com.flashline.job.JobService;
import com.flashline.job.JobView;
import com.flashline.station.PortChangedEvent;
import com.flashline.station.PortService;
import com.flashline.station.StationChangedEvent;
import com.flashline.station.StationService;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the service's domain events into stream events for every connected client. The listeners
 * only take note (they run on workers' and requests' threads); one broadcaster thread reads the
 * views and offers them to the clients' queues, so every client sees the same order and a new
 * client's snapshot comes before anything that happened after it. Byte progress of a job is sent
 * at most once per {@code flashline.events.progress-interval} (default 250 ms, 4 per second).
 */
@Component
class EventStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    private static final Set<ResponseBodyEmitter.DataWithMediaType> HEARTBEAT = comment("heartbeat");

    /** What the broadcaster thread does next. */
    private interface Signal {
    }

    private record Connect(StreamClient client) implements Signal {
    }

    /** Some port changed: every port in {@code portsToSend} is sent. */
    private record Port() implements Signal {
    }

    private record Job(long jobId) implements Signal {
    }

    /** A job as it was when the signal was raised (queued, finished), not as it is when sent. */
    private record JobAsItWas(JobView job) implements Signal {
    }

    private record Station() implements Signal {
    }

    private record Heartbeat() implements Signal {
    }

    private final PortService ports;
    private final StationService station;
    private final JobService jobs;
    private final JsonMapper json;
    private final int clientQueue;
    private final long progressIntervalNanos;
    private final long heartbeatNanos;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final Set<StreamClient> clients = new CopyOnWriteArraySet<>();
    /** Ports and jobs with a signal waiting: a second change before it is handled needs no second read. */
    private final Set<String> portsToSend = ConcurrentHashMap.newKeySet();
    private final Set<Long> jobsToSend = ConcurrentHashMap.newKeySet();
    /** Running jobs whose byte progress moved since their last event, and to where. */
    private final Map<Long, JobProgressEvent> progressed = new ConcurrentHashMap<>();
    /** Running jobs: their last event, and when it was sent ({@link System#nanoTime()}). */
    private final Map<Long, Sent> sent = new ConcurrentHashMap<>();

    private record Sent(JobView job, long at) {
    }
    private final AtomicLong clientNumbers = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private volatile Thread broadcaster;

    EventStream(PortService ports, StationService station, JobService jobs, JsonMapper json,
            @Value("${flashline.events.client-queue:1000}") int clientQueue,
            @Value("${flashline.events.progress-interval:250ms}") Duration progressInterval,
            @Value("${flashline.events.heartbeat:15s}") Duration heartbeat) {
        this.ports = ports;
        this.station = station;
        this.jobs = jobs;
        this.json = json;
        this.clientQueue = clientQueue;
        this.progressIntervalNanos = progressInterval.toNanos();
        this.heartbeatNanos = heartbeat.toNanos();
    }

    /** A new client: it receives the snapshot, then every change. */
    SseEmitter connect() {
        SseEmitter emitter = new SseEmitter(0L);
        open.incrementAndGet();
        StreamClient client = new StreamClient(emitter, clientQueue, this::closed);
        client.start("flashline-events-client-" + clientNumbers.incrementAndGet());
        signals.add(new Connect(client));
        return emitter;
    }

    int clients() {
        return clients.size();
    }

    /**
     * Whether a client is connected or connecting: counted from the request on, so that nothing
     * that happens while its snapshot is read is lost.
     */
    private boolean listening() {
        return open.get() > 0;
    }

    private void closed(StreamClient client) {
        clients.remove(client);
        open.decrementAndGet();
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(PortChangedEvent event) {
        if (listening() && portsToSend.add(event.path())) {
            signals.add(new Port());
        }
    }

    /**
     * Read here, after the commit and before the dispatch bridge hands the job to a worker (this
     * listener runs first), so that clients see the job QUEUED even when it starts at once.
     */
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @TransactionalEventListener(fallbackExecution = true)
    void on(JobQueuedEvent event) {
        if (listening()) {
            signals.add(new JobAsItWas(jobs.get(event.job().jobId())));
        }
    }

    private void jobChanged(long jobId) {
        if (jobsToSend.add(jobId)) {
            signals.add(new Job(jobId));
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(JobProgressEvent event) {
        if (!listening()) {
            return;
        }
        if (event.phaseChanged()) {
            jobChanged(event.jobId());
        } else {
            progressed.put(event.jobId(), event);
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(JobFinishedEvent event) {
        // Also when nobody listens now: a client may have seen the job's progress earlier.
        progressed.remove(event.job().id());
        sent.remove(event.job().id());
        if (listening()) {
            signals.add(new JobAsItWas(event.job()));
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(StationChangedEvent event) {
        if (listening()) {
            signals.add(new Station());
        }
    }

    private void broadcast() {
        long nextHeartbeat = System.nanoTime() + heartbeatNanos;
        long tick = Math.max(1, progressIntervalNanos / 5);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Signal signal = signals.poll(tick, TimeUnit.NANOSECONDS);
                if (signal != null) {
                    handle(signal);
                }
                sendDueProgress();
                if (System.nanoTime() - nextHeartbeat >= 0) {
                    nextHeartbeat = System.nanoTime() + heartbeatNanos;
                    handle(new Heartbeat());
                }
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("event stream: could not send an event", e);
            }
        }
    }

    private void handle(Signal signal) {
        if (signal instanceof Connect connect) {
            snapshot(connect.client());
        } else if (signal instanceof Port) {
            sendChangedPorts();
        } else if (signal instanceof Job job) {
            jobsToSend.remove(job.jobId());
            sendJob(jobs.get(job.jobId()));
        } else if (signal instanceof JobAsItWas then) {
            sendJob(then.job());
        } else if (signal instanceof Station) {
            toAll(event("station", station.view()));
            ports.list().forEach(port -> toAll(event("port", port)));
        } else if (signal instanceof Heartbeat) {
            toAll(HEARTBEAT);
        }
    }

    /**
     * Every port changed since the last time, read in one go: when many boards arrive at once,
     * one read of all ports instead of one per change.
     */
    private void sendChangedPorts() {
        Set<String> changed = new HashSet<>();
        for (Iterator<String> paths = portsToSend.iterator(); paths.hasNext(); ) {
            changed.add(paths.next());
            paths.remove();
        }
        if (changed.size() == 1) {
            toAll(event("port", ports.get(changed.iterator().next())));
        } else if (!changed.isEmpty()) {
            ports.list().stream().filter(port -> changed.contains(port.path()))
                    .forEach(port -> toAll(event("port", port)));
        }
    }

    private void snapshot(StreamClient client) {
        for (var port : ports.list()) {
            client.offer(event("port", port));
        }
        if (client.offer(event("station", station.view()))) {
            clients.add(client);
            // It may have closed while it was not yet in the set.
            if (client.closed()) {
                clients.remove(client);
            }
        }
    }

    private void sendJob(JobView job) {
        progressed.remove(job.id());
        if (job.state().terminal()) {
            sent.remove(job.id());
        } else {
            sent.put(job.id(), new Sent(job, System.nanoTime()));
        }
        toAll(event("job", job));
    }

    /** The jobs whose progress moved and whose last event is at least one interval old. */
    private void sendDueProgress() {
        if (progressed.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Iterator<JobProgressEvent> moved = progressed.values().iterator(); moved.hasNext(); ) {
            JobProgressEvent progress = moved.next();
            if (jobsToSend.contains(progress.jobId())) {
                continue; // a new phase is about to be read and sent whole, with its bytes
            }
            Sent last = sent.get(progress.jobId());
            if (last == null || now - last.at() >= progressIntervalNanos) {
                moved.remove();
                // Between phase changes only the bytes move: the last view with the new bytes, no read.
                JobView job = last != null ? last.job().withProgress(progress.bytesDone(), progress.bytesTotal())
                        : jobs.get(progress.jobId());
                if (!job.state().terminal()) {
                    sendJob(job);
                }
            }
        }
    }

    private void toAll(Set<ResponseBodyEmitter.DataWithMediaType> event) {
        for (StreamClient client : clients) {
            client.offer(event);
        }
    }

    /**
     * One event as written, built once for every client: the view serialised here with the
     * mapper the REST answers use (so the same JSON, and not once per client).
     */
    private Set<ResponseBodyEmitter.DataWithMediaType> event(String name, Object data) {
        return Collections.unmodifiableSet(SseEmitter.event().name(name).data(json.writeValueAsString(data)).build());
    }

    private static Set<ResponseBodyEmitter.DataWithMediaType> comment(String text) {
        return Collections.unmodifiableSet(SseEmitter.event().comment(text).build());
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::broadcast, "flashline-events");
        thread.setDaemon(true);
        broadcaster = thread;
        thread.start();
    }

    @Override
    public void stop() {
        Thread thread = broadcaster;
        broadcaster = null;
        if (thread != null) {
            thread.interrupt();
        }
        clients.forEach(StreamClient::close);
    }

    @Override
    public boolean isRunning() {
        return broadcaster != null;
    }
}
