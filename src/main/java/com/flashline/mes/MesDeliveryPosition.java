package com.flashline.mes;

import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where the MES push of each station stands in the audit log: the seq of the last of its records
 * the broker acknowledged ({@code mes_delivery}). Only a station's own publisher writes its row.
 */
@Component
class MesDeliveryPosition {

    private final JdbcClient jdbc;
    private final Clock clock;

    MesDeliveryPosition(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The station's position; 0 (from the first record) for a station that never delivered. */
    @Transactional
    long read(String stationId) {
        return jdbc.sql("SELECT last_seq FROM mes_delivery WHERE station_id = ?").param(stationId)
                .query(Long.class).optional()
                .orElseGet(() -> {
                    jdbc.sql("INSERT INTO mes_delivery (station_id, last_seq, updated_at) VALUES (?, 0, ?)")
                            .params(stationId, clock.instant().atOffset(java.time.ZoneOffset.UTC)).update();
                    return 0L;
                });
    }

    /** Records that the broker acknowledged every record of the station up to {@code seq}. */
    @Transactional
    void advance(String stationId, long seq) {
        jdbc.sql("UPDATE mes_delivery SET last_seq = ?, updated_at = ? WHERE station_id = ? AND last_seq < ?")
                .params(seq, clock.instant().atOffset(java.time.ZoneOffset.UTC), stationId, seq).update();
    }
}
