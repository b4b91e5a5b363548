package com.flashline.retention;

import static com.flashline.support.Fixtures.TESTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.audit.AuditVerifier;
import com.flashline.catalog.Recipe;
import com.flashline.config.FlashLineProperties;
import com.flashline.flashing.Phase;
import com.flashline.job.JobRecorder;
import com.flashline.job.JobService;
import com.flashline.station.PortRegistry;
import com.flashline.support.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Job retention on a real database: what is archived, what stays, and that the file holds it all; H2 and PostgreSQL. */
abstract class JobArchiverContract {

    private static final AtomicInteger PORTS = new AtomicInteger(1);

    @Autowired
    Fixtures fixtures;
    @Autowired
    JobService jobs;
    @Autowired
    JobRecorder recorder;
    @Autowired
    PortRegistry registry;
    @Autowired
    AuditVerifier auditVerifier;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    FlashLineProperties properties;
    @Autowired
    JsonMapper json;

    @TempDir
    Path archive;

    @Test
    void finishedJobsOlderThanTheCutOffAreWrittenToTheArchiveAndDeletedWithTheirPhasesAuditKept() throws IOException {
        Recipe recipe = fixtures.recipe();
        Instant now = Instant.now();
        Instant cutoff = now.minus(Duration.ofDays(365));
        List<Long> old = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long id = finishedJob(recipe, i % 2 == 0);
            finishedAt(id, now.minus(Duration.ofDays(400 + i)));
            old.add(id);
        }
        long recent = finishedJob(recipe, true);
        finishedAt(recent, now.minus(Duration.ofDays(300)));
        long live = jobs.enqueue(attachedPort(), recipe.id(), TESTER).id();
        long otherStation = finishedJob(recipe, true);
        finishedAt(otherStation, now.minus(Duration.ofDays(400)));
        jdbc.update("UPDATE job SET station_id = 'another-station' WHERE id = ?", otherStation);
        long auditBefore = count("SELECT COUNT(*) FROM audit_record");
        long oldPhases = count("SELECT COUNT(*) FROM job_phase WHERE job_id IN (?, ?, ?)", old.toArray());
        assertThat(oldPhases).isEqualTo(3 * 3);

        JobArchiver archiver = archiver(2);
        JobArchiver.Result result = archiver.archiveFinishedBefore(cutoff);

        assertThat(result.jobs()).isEqualTo(3);
        assertThat(result.phases()).isEqualTo((int) oldPhases);
        assertThat(result.files()).as("batches of 2").hasSize(2);
        for (long id : old) {
            assertThat(count("SELECT COUNT(*) FROM job WHERE id = ?", id)).isZero();
            assertThat(count("SELECT COUNT(*) FROM job_phase WHERE job_id = ?", id)).isZero();
        }
        for (long kept : List.of(recent, live, otherStation)) {
            assertThat(count("SELECT COUNT(*) FROM job WHERE id = ?", kept)).as("job %d kept", kept).isEqualTo(1);
        }
        assertThat(count("SELECT COUNT(*) FROM job_phase WHERE job_id = ?", recent)).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM audit_record")).as("audit records are never archived")
                .isEqualTo(auditBefore);
        assertThat(auditVerifier.verify().valid()).isTrue();

        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(archive)) {
            for (Path file : files.sorted().toList()) {
                assertThat(file.getFileName().toString()).endsWith(".jsonl");
                for (String line : Files.readAllLines(file)) {
                    lines.add(json.readTree(line));
                }
            }
        }
        assertThat(lines).extracting(l -> l.path("job").path("id").asLong()).containsExactlyElementsOf(old);
        JsonNode first = lines.get(0);
        assertThat(first.path("job").path("state").asString()).isEqualTo("PASSED");
        assertThat(first.path("job").path("recipe_id").asLong()).isEqualTo(recipe.id());
        assertThat(Instant.parse(first.path("job").path("finished_at").asString())).isBefore(cutoff);
        assertThat(first.path("phases")).hasSize(3);
        assertThat(first.path("phases").get(0).path("name").asString()).isEqualTo("CONNECT");
        assertThat(lines.get(1).path("job").path("error_code").asString()).isEqualTo("DEVICE_GONE");

        assertThat(archiver.archiveFinishedBefore(cutoff).jobs()).as("a second run finds nothing").isZero();
    }

    private JobArchiver archiver(int batchSize) {
        return new JobArchiver(jdbc, transactions,
                new RetentionProperties(true, Duration.ofDays(365), archive, Duration.ofDays(1), batchSize),
                properties, json);
    }

    private long finishedJob(Recipe recipe, boolean passes) {
        long id = jobs.enqueue(attachedPort(), recipe.id(), TESTER).id();
        recorder.started(id, 1);
        for (Phase phase : List.of(Phase.CONNECT, Phase.IDENTIFY, Phase.ERASE)) {
            recorder.phaseStarted(id, phase);
            recorder.phaseFinished(id, phase, Duration.ofMillis(3));
        }
        if (passes) {
            recorder.passed(id, null);
        } else {
            recorder.failed(id, com.flashline.error.FailureCode.DEVICE_GONE, "pulled", null);
        }
        return id;
    }

    private void finishedAt(long id, Instant when) {
        jdbc.update("UPDATE job SET finished_at = ? WHERE id = ?", OffsetDateTime.ofInstant(when, ZoneOffset.UTC), id);
    }

    private String attachedPort() {
        String port = "8-" + PORTS.getAndIncrement();
        registry.deviceArrived(port, Fixtures.device(port, "SN-" + port));
        return port;
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }
}
