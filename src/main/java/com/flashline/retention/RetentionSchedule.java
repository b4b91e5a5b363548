package com.flashline.retention;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link JobArchiver} every {@code flashline.retention.interval} when
 * {@code flashline.retention.enabled}; a failed run (database away, disk full) is logged and tried
 * again at the next interval, with nothing deleted that was not written.
 */
@Component
@EnableConfigurationProperties(RetentionProperties.class)
class RetentionSchedule {

    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

    private final JobArchiver archiver;
    private final RetentionProperties properties;
    private final Clock clock;
    private ScheduledExecutorService executor;

    RetentionSchedule(JobArchiver archiver, RetentionProperties properties, Clock clock) {
        this.archiver = archiver;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void start() {
        if (!properties.enabled() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flashline-retention");
            t.setDaemon(true);
            return t;
        });
        long every = properties.interval().toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
        log.info("job retention on: jobs finished more than {} ago are archived to {} every {}",
                properties.archiveAfter(), properties.archiveDirectory().toAbsolutePath(), properties.interval());
    }

    void runOnce() {
        try {
            JobArchiver.Result result = archiver.archiveFinishedBefore(clock.instant().minus(properties.archiveAfter()));
            if (result.jobs() > 0) {
                log.info("archived {} jobs ({} phase rows) to {}", result.jobs(), result.phases(), result.files());
            }
        } catch (RuntimeException e) {
            log.warn("job retention run failed, next try in {}: {}", properties.interval(), e.toString());
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
