package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.station.PortRegistry;
import com.flashline.station.StationService;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps a failing fixture contact from burning through a tray of boards: when the last
 * {@code flashline.interlock.max-consecutive-failures} finished jobs (passed or failed; cancelled
 * and interrupted ones do not count) of a port all failed, the port is disabled, with the reason,
 * in the database ({@code port_interlock}, so that a restart does not release it) and in the
 * {@link PortRegistry}. No job is queued there, by auto-start or by request, until an operator
 * enables it; the jobs before that do not count again. Both are audited.
 */
@Component
@EnableConfigurationProperties(InterlockProperties.class)
class PortInterlock {

    private static final Logger log = LoggerFactory.getLogger(PortInterlock.class);

    private final InterlockProperties properties;
    private final JdbcClient jdbc;
    private final AuditLog auditLog;
    private final PortRegistry registry;
    private final StationService station;
    private final TransactionTemplate transactions;
    private final Clock clock;

    PortInterlock(InterlockProperties properties, JdbcClient jdbc, AuditLog auditLog, PortRegistry registry,
            StationService station, PlatformTransactionManager transactionManager, Clock clock) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.registry = registry;
        this.station = station;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** Shows the ports disabled before the restart as disabled again. */
    @EventListener(ApplicationReadyEvent.class)
    void showDisabledPorts() {
        jdbc.sql("SELECT path, disabled_reason FROM port_interlock WHERE station_id = ? AND disabled_reason IS NOT NULL")
                .param(station.stationId())
                .query((rs, row) -> new String[] {rs.getString(1), rs.getString(2)})
                .list()
                .forEach(port -> registry.disable(port[0], port[1]));
    }

    /** @throws DomainException PORT_DISABLED when the port is interlocked */
    void requireEnabled(String port) {
        Optional<String> reason = disabledReason(port);
        if (reason.isPresent()) {
            throw new DomainException(ErrorCode.PORT_DISABLED, "port " + port + " is disabled: " + reason.get()
                    + "; enable it with POST /api/v1/ports/" + port + "/enable");
        }
    }

    @EventListener
    void onFinished(JobFinishedEvent event) {
        JobView job = event.job();
        int limit = properties.maxConsecutiveFailures();
        if (limit == 0 || job.state() != JobState.FAILED) {
            return;
        }
        String reason = transactions.execute(status -> disableIfFailing(job, limit));
        if (reason != null) {
            registry.disable(job.port(), reason);
            log.warn("port {} disabled: {}", job.port(), reason);
        }
    }

    /** In one transaction holding the port's interlock row: the reason when this disabled the port, else null. */
    private String disableIfFailing(JobView job, int limit) {
        String stationId = station.stationId();
        long countedAfter = lockRow(stationId, job.port());
        if (disabledReason(job.port()).isPresent()) {
            return null;
        }
        List<String> last = jdbc.sql("""
                SELECT state FROM job WHERE station_id = ? AND port = ? AND id > ? AND state IN ('PASSED', 'FAILED')
                ORDER BY id DESC""")
                .params(stationId, job.port(), countedAfter)
                .query(String.class).list().stream().limit(limit).toList();
        if (last.size() < limit || !last.stream().allMatch(JobState.FAILED.name()::equals)) {
            return null;
        }
        String code = job.error() != null ? job.error().code() : null;
        String reason = limit + " failed jobs in a row (the last: job " + job.id() + ", " + code + ")";
        jdbc.sql("UPDATE port_interlock SET disabled_reason = ?, disabled_at = ?, updated_at = ?, updated_by = ? "
                        + "WHERE station_id = ? AND path = ?")
                .params(reason, now(), now(), Actor.SYSTEM.name(), stationId, job.port()).update();
        auditLog.append(AuditEntry.of(AuditType.PORT_DISABLED, Actor.SYSTEM).port(job.port()).jobId(job.id())
                .errorCode(code).detail(reason).build());
        return reason;
    }

    /**
     * Enables an interlocked port; the jobs finished so far no longer count.
     *
     * @throws DomainException CONFLICT when the port is not disabled
     */
    void enable(String port, Actor actor) {
        String stationId = station.stationId();
        transactions.executeWithoutResult(status -> {
            lockRow(stationId, port);
            String reason = disabledReason(port).orElseThrow(() ->
                    new DomainException(ErrorCode.CONFLICT, "port " + port + " is not disabled"));
            long lastJob = jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM job WHERE station_id = ? AND port = ?")
                    .params(stationId, port).query(Long.class).single();
            jdbc.sql("UPDATE port_interlock SET disabled_reason = NULL, disabled_at = NULL, counted_after_job_id = ?, "
                            + "updated_at = ?, updated_by = ? WHERE station_id = ? AND path = ?")
                    .params(lastJob, now(), actor.name(), stationId, port).update();
            auditLog.append(AuditEntry.of(AuditType.PORT_ENABLED, actor).port(port).detail("was disabled: " + reason)
                    .build());
        });
        registry.enable(port);
        log.info("port {} enabled by {}", port, actor);
    }

    private Optional<String> disabledReason(String port) {
        return jdbc.sql("SELECT disabled_reason FROM port_interlock WHERE station_id = ? AND path = ?")
                .params(station.stationId(), port)
                .query((rs, row) -> Optional.ofNullable(rs.getString(1))).optional().flatMap(r -> r);
    }

    /** Creates the port's row when missing, locks it, and returns the job id up to which jobs no longer count. */
    private long lockRow(String stationId, String port) {
        int updated = jdbc.sql("UPDATE port_interlock SET updated_at = updated_at WHERE station_id = ? AND path = ?")
                .params(stationId, port).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO port_interlock (station_id, path, counted_after_job_id, updated_at, updated_by) "
                            + "VALUES (?, ?, 0, ?, ?)")
                    .params(stationId, port, now(), Actor.SYSTEM.name()).update();
        }
        return jdbc.sql("SELECT counted_after_job_id FROM port_interlock WHERE station_id = ? AND path = ?")
                .params(stationId, port).query(Long.class).single();
    }

    private java.time.OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
