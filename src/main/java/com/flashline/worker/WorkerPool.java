package com.flashline.worker;

import com.flashline.job.JobDispatcher;
import com.flashline.job.QueuedJob;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The {@link JobDispatcher}: {@code flashline.workers} threads run jobs in the order they were
 * queued. A port never has two jobs at once ({@link com.flashline.job.JobService} queues at most
 * one live job per port, and a job's retries run inside its one task). Gauges:
 * {@code flashline.jobs.queue.depth} (jobs waiting for a worker) and {@code flashline.jobs.active}.
 */
public class WorkerPool implements JobDispatcher, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final JobRunner runner;
    private final int workers;
    private final AtomicInteger threads = new AtomicInteger();
    private volatile ThreadPoolExecutor executor;
    private final Map<Long, Runnable> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean running;

    public WorkerPool(JobRunner runner, int workers, MeterRegistry meters) {
        this.runner = runner;
        this.workers = workers;
        this.executor = newExecutor();
        Gauge.builder("flashline.jobs.queue.depth", this, WorkerPool::queueDepth)
                .description("Jobs queued and waiting for a free worker").register(meters);
        Gauge.builder("flashline.jobs.active", active, AtomicInteger::get)
                .description("Jobs a worker is running now").register(meters);
    }

    @Override
    public void dispatch(QueuedJob job) {
        Runnable task = () -> execute(job);
        waiting.put(job.jobId(), task);
        executor.execute(task);
    }

    /** A job still waiting is dropped; a running one sees the cancel flag at its pipeline's next check. */
    @Override
    public void cancel(long jobId) {
        Runnable task = waiting.remove(jobId);
        if (task != null) {
            executor.remove(task);
        }
    }

    private void execute(QueuedJob job) {
        if (waiting.remove(job.jobId()) == null) {
            return; // cancelled while waiting
        }
        active.incrementAndGet();
        try {
            runner.run(job);
        } catch (RuntimeException e) {
            log.error("job {} on port {}: the worker failed to record its outcome", job.jobId(), job.port(), e);
        } finally {
            active.decrementAndGet();
        }
    }

    public int queueDepth() {
        return executor.getQueue().size();
    }

    public int activeJobs() {
        return active.get();
    }

    private ThreadPoolExecutor newExecutor() {
        return new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "flash-worker-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A pool that was stopped starts with fresh workers: a context may be stopped and started again
     * (Spring's test context cache pauses the contexts it is not using and restarts them).
     */
    @Override
    public void start() {
        if (executor.isShutdown()) {
            executor = newExecutor();
        }
        running = true;
    }

    /** Interrupts running jobs; they stay RUNNING in the database and become INTERRUPTED at the next start. */
    @Override
    public void stop() {
        running = false;
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("flash workers did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the device sources (higher phases stop first) have stopped reporting arrivals. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
