package com.flashline.stats;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Station", description = "Station settings, ports and attached devices")
class StatsController {

    private final StationStatsQuery stats;

    StatsController(StationStatsQuery stats) {
        this.stats = stats;
    }

    @Operation(summary = "Boards passed and failed today, yield, boards per hour, and per hour of the day")
    @GetMapping("/stats")
    @Transactional(readOnly = true)
    StationStats today() {
        return stats.today();
    }
}
