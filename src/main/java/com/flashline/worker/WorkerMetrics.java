package com.flashline.worker;

import com.flashline.flashing.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the workers measure: {@code flashline.job.phase.duration} (timer, tag phase),
 * {@code flashline.bytes.written} and {@code flashline.bytes.verified} (counters, every job
 * including failed ones). The pool registers its gauges itself.
 */
public class WorkerMetrics {

    private final Map<Phase, Timer> phases = new EnumMap<>(Phase.class);
    private final Counter written;
    private final Counter verified;

    public WorkerMetrics(MeterRegistry registry) {
        for (Phase phase : Phase.values()) {
            phases.put(phase, Timer.builder("flashline.job.phase.duration")
                    .description("Time a pipeline phase took, per attempt")
                    .tag("phase", phase.name())
                    .register(registry));
        }
        written = Counter.builder("flashline.bytes.written").baseUnit("bytes")
                .description("Image bytes written to boards").register(registry);
        verified = Counter.builder("flashline.bytes.verified").baseUnit("bytes")
                .description("Bytes read back from boards and compared").register(registry);
    }

    void phase(Phase phase, Duration duration) {
        phases.get(phase).record(duration);
    }

    void bytes(Phase phase, long count) {
        if (count <= 0) {
            return;
        }
        if (phase == Phase.WRITE) {
            written.increment(count);
        } else if (phase == Phase.VERIFY) {
            verified.increment(count);
        }
    }
}
