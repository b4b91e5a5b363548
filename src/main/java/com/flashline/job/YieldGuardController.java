package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.station.StationService;
import com.flashline.station.StationSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Station", description = "Station settings, ports and attached devices")
class YieldGuardController {

    private final YieldGuard guard;
    private final StationService station;

    YieldGuardController(YieldGuard guard, StationService station) {
        this.guard = guard;
        this.station = station;
    }

    @Operation(summary = "Enable auto-start again after the yield guard paused it")
    @PostMapping("/station/enable")
    StationSettings enable(Actor actor) {
        guard.enable(actor);
        return station.view();
    }
}
