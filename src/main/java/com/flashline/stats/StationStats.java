package com.flashline.stats;

import java.time.Instant;
import java.util.List;

/**
 * The line at a glance since {@code since} (the start of the day, UTC): boards that passed and
 * failed on this station, the yield ({@code passed / (passed + failed)}, null before the first
 * verdict), boards per hour over the last hour, and the same per hour for the chart.
 */
public record StationStats(Instant since, long passed, long failed, Double yield, long boardsLastHour,
        List<Hour> hours) {

    public record Hour(Instant start, long passed, long failed) {
    }
}
