package com.flashline.job;

import com.flashline.flashing.Phase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The job list and its phases in plain SQL, read straight into rows. Dashboards and MES pulls
 * poll this while boards flash; through JPA, materialising entities and translating the criteria
 * cost several times the queries themselves and competed with the flashing workers for the CPU.
 */
@Component
class JobListQuery {

    private static final String COLUMNS = "id, station_id, port, usb_serial, chip_uid, poll_policy, recipe_id, firmware_id, "
            + "firmware_sha256, state, phase, bytes_done, bytes_total, attempt, serial_number, cancel_requested, "
            + "queued_at, started_at, finished_at, duration_ms, error_code, error_message, mismatch_address, started_by, "
            + "cancelled_by, work_order, lot";

    /** One page and the number of jobs that match in all. */
    record Page(List<JobRow> rows, long total) {
    }

    private final JdbcClient jdbc;

    JobListQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Jobs matching every non-null filter, newest first. */
    Page page(JobState state, String port, String usbSerial, int page, int size) {
        return page(JobFilter.of(state, port, usbSerial), page, size);
    }

    /** Jobs matching every non-null field of {@code filter}, newest first. */
    Page page(JobFilter filter, int page, int size) {
        StringBuilder where = new StringBuilder();
        List<Object> params = new ArrayList<>();
        filter(where, params, "state", filter.state() == null ? null : filter.state().name());
        filter(where, params, "port", filter.port());
        filter(where, params, "usb_serial", filter.usbSerial());
        filter(where, params, "serial_number", filter.serialNumber());
        filter(where, params, "work_order", filter.workOrder());
        filter(where, params, "queued_at >= ?", filter.queuedFrom() == null ? null : Timestamp.from(filter.queuedFrom()));
        filter(where, params, "queued_at < ?", filter.queuedTo() == null ? null : Timestamp.from(filter.queuedTo()));
        long offset = (long) page * size;
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(offset);
        pageParams.add(size);
        List<JobRow> rows = jdbc.sql("SELECT " + COLUMNS + " FROM job" + where
                        + " ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")
                .params(pageParams)
                .query(JobListQuery::row)
                .list();
        // A short page, unless it is empty past the end, already tells the total: no count needed.
        long total = rows.size() < size && (rows.size() > 0 || page == 0) ? offset + rows.size()
                : jdbc.sql("SELECT COUNT(*) FROM job" + where).params(params).query(Long.class).single();
        return new Page(rows, total);
    }

    /**
     * Jobs of one state on one port of one station: an equality on every column of
     * ix_job_state_station_port, so it reads only the matching rows.
     */
    static final String COUNT_IN_STATE_ON_PORT = "SELECT COUNT(*) FROM job WHERE state = ? AND station_id = ? AND port = ?";

    /** Whether {@code port} of {@code stationId} has a QUEUED or RUNNING job (asked on every arrival). */
    boolean anyLive(String stationId, String port) {
        // One lookup per live state rather than "state IN (...)": H2 answers an IN list on the
        // index's first column by scanning every index entry of the port, a cost that grew with
        // the port's history on every arrival (the soak benchmark's throughput fell by a third
        // over 20,000 jobs).
        for (JobState state : JobState.LIVE) {
            if (jdbc.sql(COUNT_IN_STATE_ON_PORT).params(state.name(), stationId, port).query(Long.class).single() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The phase timings of each of {@code jobIds}, in order; jobs without any are absent. */
    Map<Long, List<JobView.PhaseTiming>> phases(Collection<Long> jobIds) {
        Map<Long, List<JobView.PhaseTiming>> byJob = new LinkedHashMap<>();
        if (jobIds.isEmpty()) {
            return byJob;
        }
        jdbc.sql("SELECT job_id, attempt, name, duration_ms FROM job_phase WHERE job_id IN (:ids) ORDER BY job_id, seq")
                .param("ids", jobIds)
                .query(rs -> {
                    byJob.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(new JobView.PhaseTiming(
                            Phase.valueOf(rs.getString(3)), rs.getInt(2), rs.getLong(4)));
                });
        return byJob;
    }

    /** {@code condition}: a column (compared for equality) or a condition with its own {@code ?}. */
    private static void filter(StringBuilder where, List<Object> params, String condition, Object value) {
        if (value != null) {
            where.append(where.isEmpty() ? " WHERE " : " AND ").append(condition)
                    .append(condition.contains("?") ? "" : " = ?");
            params.add(value);
        }
    }

    private static JobRow row(ResultSet rs, int rowNum) throws SQLException {
        String phase = rs.getString("phase");
        return new JobRow(rs.getLong("id"), rs.getString("station_id"), rs.getString("port"),
                rs.getString("usb_serial"), rs.getString("chip_uid"), rs.getString("poll_policy"), rs.getLong("recipe_id"),
                rs.getLong("firmware_id"),
                rs.getString("firmware_sha256"), JobState.valueOf(rs.getString("state")),
                phase == null ? null : Phase.valueOf(phase), rs.getLong("bytes_done"), rs.getLong("bytes_total"),
                rs.getInt("attempt"), rs.getString("serial_number"), rs.getBoolean("cancel_requested"),
                instant(rs, "queued_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                rs.getObject("duration_ms", Long.class), rs.getString("error_code"), rs.getString("error_message"),
                rs.getObject("mismatch_address", Long.class), rs.getString("started_by"), rs.getString("cancelled_by"),
                rs.getString("work_order"), rs.getString("lot"));
    }

    /** A {@code TIMESTAMP WITH TIME ZONE} column as an instant, null when the column is. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
