package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.station.AutoStartPause;
import com.flashline.station.StationService;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The optional station yield guard: when the share of passed jobs among the station's last
 * {@code flashline.interlock.yield-window} finished jobs (passed or failed; cancelled and
 * interrupted ones do not count) falls under {@code flashline.interlock.min-yield}, auto-start
 * pauses: {@link AutoStart} queues nothing and arriving boards wait, their port saying why. A job
 * requested by hand ({@code POST /api/v1/jobs}) still starts: it is a person's decision, e.g. to
 * try one board after cleaning the fixture. The pause is stored ({@code station_yield_guard}) so
 * that a restart does not release it; an operator enables auto-start again, after which the jobs
 * before do not count again and the waiting boards are queued. Both are audited.
 */
@Component
class YieldGuard {

    private static final Logger log = LoggerFactory.getLogger(YieldGuard.class);

    private final InterlockProperties properties;
    private final JdbcClient jdbc;
    private final AuditLog auditLog;
    private final StationService station;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    YieldGuard(InterlockProperties properties, JdbcClient jdbc, AuditLog auditLog, StationService station,
            ApplicationEventPublisher events, PlatformTransactionManager transactionManager, Clock clock) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.station = station;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** Shows a pause stored before the restart again (also when the guard has been turned off since: an operator releases it). */
    @EventListener(ApplicationReadyEvent.class)
    void showPause() {
        // The row is created here, before jobs finish on several ports at once, whose first
        // inserts would otherwise collide on the key.
        transactions.executeWithoutResult(status -> lockRow(station.stationId()));
        station.showAutoStartPause(stored().orElse(null));
    }

    @EventListener
    void onFinished(JobFinishedEvent event) {
        JobView job = event.job();
        if (!properties.yieldGuardOn() || (job.state() != JobState.PASSED && job.state() != JobState.FAILED)) {
            return;
        }
        AutoStartPause pause = transactions.execute(status -> pauseIfLow(job));
        if (pause != null) {
            station.showAutoStartPause(pause);
            log.warn("auto-start paused: {}", pause.reason());
        }
    }

    /** In one transaction holding the station's guard row: the pause when this paused auto-start, else null. */
    private AutoStartPause pauseIfLow(JobView job) {
        String stationId = station.stationId();
        long countedAfter = lockRow(stationId);
        if (stored().isPresent()) {
            return null;
        }
        int window = properties.yieldWindow();
        List<String> last = jdbc.sql("""
                SELECT state FROM job WHERE station_id = ? AND id > ? AND state IN ('PASSED', 'FAILED')
                ORDER BY id DESC""")
                .params(stationId, countedAfter)
                .query(String.class).stream().limit(window).toList();
        if (last.size() < window) {
            return null;
        }
        long passed = last.stream().filter(JobState.PASSED.name()::equals).count();
        if (passed >= properties.minYield() * window) {
            return null;
        }
        String reason = String.format(Locale.ROOT, "yield %d/%d (%.0f %%) of the last %d jobs is under %.0f %% (the last: job %d)",
                passed, window, 100.0 * passed / window, window, 100 * properties.minYield(), job.id());
        Instant now = clock.instant();
        jdbc.sql("UPDATE station_yield_guard SET paused_reason = ?, paused_at = ?, updated_at = ?, updated_by = ? "
                        + "WHERE station_id = ?")
                .params(reason, at(now), at(now), Actor.SYSTEM.name(), stationId).update();
        auditLog.append(AuditEntry.of(AuditType.AUTO_START_PAUSED, Actor.SYSTEM).jobId(job.id()).detail(reason).build());
        return new AutoStartPause(reason, now);
    }

    /**
     * Enables auto-start again; the jobs finished so far no longer count, and the boards that
     * waited are queued ({@link AutoStartEnabledEvent}).
     *
     * @throws DomainException CONFLICT when auto-start is not paused
     */
    void enable(Actor actor) {
        String stationId = station.stationId();
        transactions.executeWithoutResult(status -> {
            lockRow(stationId);
            AutoStartPause pause = stored().orElseThrow(() ->
                    new DomainException(ErrorCode.CONFLICT, "auto-start is not paused"));
            long lastJob = jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM job WHERE station_id = ?")
                    .param(stationId).query(Long.class).single();
            jdbc.sql("UPDATE station_yield_guard SET paused_reason = NULL, paused_at = NULL, counted_after_job_id = ?, "
                            + "updated_at = ?, updated_by = ? WHERE station_id = ?")
                    .params(lastJob, at(clock.instant()), actor.name(), stationId).update();
            auditLog.append(AuditEntry.of(AuditType.AUTO_START_ENABLED, actor).detail("was paused: " + pause.reason())
                    .build());
        });
        station.showAutoStartPause(null);
        log.info("auto-start enabled by {}", actor);
        events.publishEvent(new AutoStartEnabledEvent());
    }

    private Optional<AutoStartPause> stored() {
        return jdbc.sql("SELECT paused_reason, paused_at FROM station_yield_guard WHERE station_id = ?")
                .param(station.stationId())
                .query((rs, row) -> rs.getString(1) == null ? Optional.<AutoStartPause>empty()
                        : Optional.of(new AutoStartPause(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant())))
                .optional().flatMap(pause -> pause);
    }

    /** Creates the station's row when missing, locks it, and returns the job id up to which jobs no longer count. */
    private long lockRow(String stationId) {
        int updated = jdbc.sql("UPDATE station_yield_guard SET updated_at = updated_at WHERE station_id = ?")
                .param(stationId).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO station_yield_guard (station_id, counted_after_job_id, updated_at, updated_by) "
                            + "VALUES (?, 0, ?, ?)")
                    .params(stationId, at(clock.instant()), Actor.SYSTEM.name()).update();
        }
        return jdbc.sql("SELECT counted_after_job_id FROM station_yield_guard WHERE station_id = ?")
                .param(stationId).query(Long.class).single();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Auto-start runs again: the boards that waited meanwhile may be queued. */
    record AutoStartEnabledEvent() {
    }
}
