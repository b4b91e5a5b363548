package com.flashline.job;

import static com.flashline.job.JobListQuery.JobColumn.ATTEMPT;
import static com.flashline.job.JobListQuery.JobColumn.BYTES_DONE;
import static com.flashline.job.JobListQuery.JobColumn.BYTES_TOTAL;
import static com.flashline.job.JobListQuery.JobColumn.CANCELLED_BY;
import static com.flashline.job.JobListQuery.JobColumn.CANCEL_REQUESTED;
import static com.flashline.job.JobListQuery.JobColumn.CHIP_UID;
import static com.flashline.job.JobListQuery.JobColumn.DURATION_MS;
import static com.flashline.job.JobListQuery.JobColumn.ERROR_CODE;
import static com.flashline.job.JobListQuery.JobColumn.ERROR_MESSAGE;
import static com.flashline.job.JobListQuery.JobColumn.FINISHED_AT;
import static com.flashline.job.JobListQuery.JobColumn.FIRMWARE_ID;
import static com.flashline.job.JobListQuery.JobColumn.FIRMWARE_SHA256;
import static com.flashline.job.JobListQuery.JobColumn.ID;
import static com.flashline.job.JobListQuery.JobColumn.LOT;
import static com.flashline.job.JobListQuery.JobColumn.MISMATCH_ADDRESS;
import static com.flashline.job.JobListQuery.JobColumn.PHASE;
import static com.flashline.job.JobListQuery.JobColumn.POLL_POLICY;
import static com.flashline.job.JobListQuery.JobColumn.PORT;
import static com.flashline.job.JobListQuery.JobColumn.QUEUED_AT;
import static com.flashline.job.JobListQuery.JobColumn.RECIPE_ID;
import static com.flashline.job.JobListQuery.JobColumn.SERIAL_NUMBER;
import static com.flashline.job.JobListQuery.JobColumn.STARTED_AT;
import static com.flashline.job.JobListQuery.JobColumn.STARTED_BY;
import static com.flashline.job.JobListQuery.JobColumn.STATE;
import static com.flashline.job.JobListQuery.JobColumn.STATION_ID;
import static com.flashline.job.JobListQuery.JobColumn.USB_SERIAL;
import static com.flashline.job.JobListQuery.JobColumn.WORK_ORDER;

import com.flashline.flashing.Phase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The job list and its phases in plain SQL, read straight into rows. Dashboards and MES pulls
 * poll this while boards flash; through JPA, materialising entities and translating the criteria
 * cost several times the queries themselves and competed with the flashing workers for the CPU.
 */
@Component
class JobListQuery {

    /**
     * The columns of a job row, in the order the SELECT lists them: the one place that order is
     * written. {@link #row} reads each by its position, not by name (a lookup by name upper-cases
     * and compares the label for every column of every row, a seventh of a {@code GET /jobs}'s CPU).
     */
    enum JobColumn {
        ID, STATION_ID, PORT, USB_SERIAL, CHIP_UID, POLL_POLICY, RECIPE_ID, FIRMWARE_ID, FIRMWARE_SHA256, STATE, PHASE,
        BYTES_DONE, BYTES_TOTAL, ATTEMPT, SERIAL_NUMBER, CANCEL_REQUESTED, QUEUED_AT, STARTED_AT, FINISHED_AT,
        DURATION_MS, ERROR_CODE, ERROR_MESSAGE, MISMATCH_ADDRESS, STARTED_BY, CANCELLED_BY, WORK_ORDER, LOT;

        /** Its position in the SELECT list, as JDBC counts (from 1). */
        final int index = ordinal() + 1;
        final String column = name().toLowerCase(Locale.ROOT);
    }

    private static final String COLUMNS = Arrays.stream(JobColumn.values()).map(column -> column.column)
            .collect(Collectors.joining(", "));

    /** The columns {@link #phases} reads, in the order its SELECT lists them. */
    private enum PhaseColumn {
        JOB_ID, ATTEMPT, NAME, DURATION_MS;

        final int index = ordinal() + 1;
        final String column = name().toLowerCase(Locale.ROOT);
    }

    private static final String PHASES = "SELECT " + Arrays.stream(PhaseColumn.values())
            .map(column -> column.column).collect(Collectors.joining(", "))
            + " FROM job_phase WHERE job_id IN (:ids) ORDER BY job_id, seq";

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
        jdbc.sql(PHASES)
                .param("ids", jobIds)
                .query(rs -> {
                    byJob.computeIfAbsent(rs.getLong(PhaseColumn.JOB_ID.index), id -> new ArrayList<>())
                            .add(new JobView.PhaseTiming(Phase.valueOf(rs.getString(PhaseColumn.NAME.index)),
                                    rs.getInt(PhaseColumn.ATTEMPT.index), rs.getLong(PhaseColumn.DURATION_MS.index)));
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
        String phase = rs.getString(PHASE.index);
        return new JobRow(rs.getLong(ID.index), rs.getString(STATION_ID.index), rs.getString(PORT.index),
                rs.getString(USB_SERIAL.index), rs.getString(CHIP_UID.index), rs.getString(POLL_POLICY.index),
                rs.getLong(RECIPE_ID.index), rs.getLong(FIRMWARE_ID.index), rs.getString(FIRMWARE_SHA256.index),
                JobState.valueOf(rs.getString(STATE.index)), phase == null ? null : Phase.valueOf(phase),
                rs.getLong(BYTES_DONE.index), rs.getLong(BYTES_TOTAL.index), rs.getInt(ATTEMPT.index),
                rs.getString(SERIAL_NUMBER.index), rs.getBoolean(CANCEL_REQUESTED.index),
                instant(rs, QUEUED_AT.index), instant(rs, STARTED_AT.index), instant(rs, FINISHED_AT.index),
                rs.getObject(DURATION_MS.index, Long.class), rs.getString(ERROR_CODE.index),
                rs.getString(ERROR_MESSAGE.index), rs.getObject(MISMATCH_ADDRESS.index, Long.class),
                rs.getString(STARTED_BY.index), rs.getString(CANCELLED_BY.index), rs.getString(WORK_ORDER.index),
                rs.getString(LOT.index));
    }

    /** A {@code TIMESTAMP WITH TIME ZONE} column as an instant, null when the column is. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs.getObject(column, OffsetDateTime.class));
    }

    /** The same, of the column at {@code index} (from 1). */
    static Instant instant(ResultSet rs, int index) throws SQLException {
        return instant(rs.getObject(index, OffsetDateTime.class));
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
