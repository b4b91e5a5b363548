package com.flashline.job;

import static com.flashline.support.Fixtures.TESTER;

import com.flashline.flashing.Phase;
import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.FlashLineApplication;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import com.flashline.audit.AuditType;
import com.flashline.catalog.Recipe;
import com.flashline.station.PortRegistry;
import com.flashline.support.Fixtures;
import com.flashline.support.FlashLineSpringTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A station stops with jobs QUEUED and RUNNING; the next start marks them INTERRUPTED with an
 * audit record each, and leaves other stations' jobs on the shared database alone.
 */
class CrashRecoveryTest {

    private static ConfigurableApplicationContext start(String url, String stationId) {
        return new SpringApplicationBuilder(FlashLineApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                // Arguments, not default properties: they must win over the test profile's URL.
                .run("--" + FlashLineSpringTest.ONLY_CLASSPATH_CONFIG, "--spring.datasource.url=" + url,
                        "--flashline.station.id=" + stationId);
    }

    @Test
    void jobsLeftLiveByAStopBecomeInterruptedWithAuditAtTheNextStart() {
        String url = "jdbc:h2:mem:crash-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";
        long queued;
        long running;
        long otherStation;
        long passed;
        try (ConfigurableApplicationContext first = start(url, "station-a")) {
            Fixtures fixtures = first.getBean(Fixtures.class);
            PortRegistry registry = first.getBean(PortRegistry.class);
            JobService jobs = first.getBean(JobService.class);
            JobRecorder recorder = first.getBean(JobRecorder.class);
            Recipe recipe = fixtures.recipe();
            for (String port : List.of("1-1", "1-2", "1-3")) {
                registry.deviceArrived(port, Fixtures.device(port, "SN-" + port));
            }
            queued = jobs.enqueue("1-1", recipe.id(), TESTER).id();
            running = jobs.enqueue("1-2", recipe.id(), TESTER).id();
            recorder.started(running, 1);
            recorder.phaseStarted(running, Phase.WRITE);
            passed = jobs.enqueue("1-3", recipe.id(), TESTER).id();
            recorder.started(passed, 1);
            recorder.passed(passed, null);
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            jdbc.update("INSERT INTO job (station_id, port, recipe_id, firmware_id, firmware_sha256, state, bytes_done, "
                    + "bytes_total, attempt, cancel_requested, queued_at, started_by) SELECT 'station-b', '1-1', id, "
                    + "firmware_id, '" + "0".repeat(64) + "', 'RUNNING', 0, 0, 1, FALSE, CURRENT_TIMESTAMP, 'someone' "
                    + "FROM recipe WHERE id = ?",
                    recipe.id());
            otherStation = jdbc.queryForObject("SELECT MAX(id) FROM job", Long.class);
        }

        try (ConfigurableApplicationContext second = start(url, "station-a")) {
            JobService jobs = second.getBean(JobService.class);
            assertThat(jobs.get(queued).state()).isEqualTo(JobState.INTERRUPTED);
            assertThat(jobs.get(queued).error().code()).isEqualTo("INTERRUPTED");
            JobView interrupted = jobs.get(running);
            assertThat(interrupted.state()).isEqualTo(JobState.INTERRUPTED);
            assertThat(interrupted.error().message()).contains("RUNNING").contains("WRITE");
            assertThat(interrupted.finishedAt()).isNotNull();
            assertThat(jobs.get(passed).state()).isEqualTo(JobState.PASSED);
            assertThat(jobs.get(otherStation).state()).isEqualTo(JobState.RUNNING);

            List<AuditRecord> audit = second.getBean(AuditLog.class).after(0, AuditLog.MAX_PAGE).records();
            assertThat(audit).filteredOn(r -> r.type() == AuditType.JOB_INTERRUPTED)
                    .extracting(AuditRecord::jobId)
                    .containsExactly(queued, running);
            assertThat(audit).filteredOn(r -> r.type() == AuditType.JOB_INTERRUPTED)
                    .allSatisfy(r -> {
                        assertThat(r.result()).isEqualTo("INTERRUPTED");
                        assertThat(r.stationId()).isEqualTo("station-a");
                    });
        }

        try (ConfigurableApplicationContext third = start(url, "station-a")) {
            List<AuditRecord> audit = third.getBean(AuditLog.class).after(0, AuditLog.MAX_PAGE).records();
            assertThat(audit).filteredOn(r -> r.type() == AuditType.JOB_INTERRUPTED).hasSize(2);
        }
    }
}
