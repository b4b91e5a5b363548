package com.flashline.job;

import com.flashline.station.DeviceArrivedEvent;
import com.flashline.station.PortRegistry;
import com.flashline.station.StationService;
import com.flashline.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * With {@code autoStart} on, a board arriving on a port that has a recipe is queued at once. A
 * board re-enumerating during its own job (after UNPROTECT or LEAVE) finds the port busy and is
 * left alone; one that passed and comes back later without having been removed is held
 * ({@link PassedBoardLatch}).
 */
@Component
class AutoStart {

    private static final Logger log = LoggerFactory.getLogger(AutoStart.class);

    private final StationService station;
    private final JobService jobs;
    private final PassedBoardLatch latch;
    private final PortRegistry registry;

    AutoStart(StationService station, JobService jobs, PassedBoardLatch latch, PortRegistry registry) {
        this.station = station;
        this.jobs = jobs;
        this.latch = latch;
        this.registry = registry;
    }

    @EventListener
    public void onArrival(DeviceArrivedEvent event) {
        if (!station.settings().autoStart()) {
            return;
        }
        String held = latch.holdOnArrival(event.path(), event.device()).orElse(null);
        if (held != null) {
            registry.holdForRemoval(event.path(), held);
            log.info("board on port {} not queued: {}", event.path(), held);
            return;
        }
        try {
            JobView job = jobs.enqueue(event.path(), null);
            log.info("queued job {} for the board on port {}", job.id(), event.path());
        } catch (ApiException e) {
            log.info("board on port {} not queued automatically: {}", event.path(), e.getMessage());
        }
    }
}
