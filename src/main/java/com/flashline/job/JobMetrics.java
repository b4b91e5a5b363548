package com.flashline.job;

import com.flashline.error.FailureCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Job counters and timers: {@code flashline.jobs.queued}, {@code flashline.jobs.finished}
 * (tags outcome, code) and {@code flashline.job.duration} (tag outcome).
 */
@Component
class JobMetrics {

    private final MeterRegistry registry;
    private final Counter queued;

    JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.queued = Counter.builder("flashline.jobs.queued").description("Jobs queued").register(registry);
    }

    void queued() {
        queued.increment();
    }

    /** @param code why the job did not pass, or null when it passed */
    void finished(JobView job, FailureCode code) {
        String outcome = job.state().name();
        Counter.builder("flashline.jobs.finished")
                .description("Jobs reaching a final state, by outcome and error code")
                .tag("outcome", outcome)
                .tag("code", code != null ? code.name() : "NONE")
                .register(registry)
                .increment();
        if (job.durationMs() != null && job.startedAt() != null) {
            Timer.builder("flashline.job.duration")
                    .description("Time from a job's first start to its final state")
                    .tag("outcome", outcome)
                    .register(registry)
                    .record(Duration.ofMillis(job.durationMs()));
        }
    }
}
