package com.flashline.stats;

import com.flashline.station.StationService;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Counts this station's finished jobs per hour of the day in one query. */
@Component
class StationStatsQuery {

    private final JdbcClient jdbc;
    private final StationService station;
    private final Clock clock;

    StationStatsQuery(JdbcClient jdbc, StationService station, Clock clock) {
        this.jdbc = jdbc;
        this.station = station;
        this.clock = clock;
    }

    StationStats today() {
        Instant now = clock.instant();
        Instant since = now.truncatedTo(ChronoUnit.DAYS);
        Map<Instant, long[]> byHour = new TreeMap<>();
        for (Instant hour = since; hour.isBefore(now); hour = hour.plus(Duration.ofHours(1))) {
            byHour.put(hour, new long[2]);
        }
        long[] lastHour = new long[1];
        Instant hourAgo = now.minus(Duration.ofHours(1));
        jdbc.sql("SELECT state, finished_at FROM job WHERE station_id = ? AND finished_at >= ? AND state IN ('PASSED', 'FAILED')")
                .params(station.stationId(), Timestamp.from(since))
                .query(rs -> {
                    Instant finished = rs.getTimestamp(2).toInstant();
                    boolean passed = "PASSED".equals(rs.getString(1));
                    long[] counts = byHour.computeIfAbsent(finished.truncatedTo(ChronoUnit.HOURS), h -> new long[2]);
                    counts[passed ? 0 : 1]++;
                    if (!finished.isBefore(hourAgo)) {
                        lastHour[0]++;
                    }
                });
        List<StationStats.Hour> hours = new ArrayList<>();
        long passed = 0;
        long failed = 0;
        for (Map.Entry<Instant, long[]> hour : byHour.entrySet()) {
            hours.add(new StationStats.Hour(hour.getKey(), hour.getValue()[0], hour.getValue()[1]));
            passed += hour.getValue()[0];
            failed += hour.getValue()[1];
        }
        Double yield = passed + failed == 0 ? null : (double) passed / (passed + failed);
        return new StationStats(since, passed, failed, yield, lastHour[0], hours);
    }
}
