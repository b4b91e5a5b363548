package com.flashline.retention;

import com.flashline.config.FlashLineProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Moves finished jobs of this station that are older than a cut-off out of the database: each
 * batch is written to a JSON-lines file (one line per job: its row and its phase rows) which is
 * flushed to disk and renamed into place, and only then are the rows deleted, in one transaction.
 * A crash between the two leaves the jobs in the database and in a file; the next run writes them
 * again to a new file, so a job may be archived twice but never lost.
 *
 * <p>Audit records are not touched: they are a hash chain that MES reads by cursor (pruning them
 * would need a verified checkpoint to start the chain from), and each JOB_* record already holds
 * the job's outcome, serial number, firmware and times. Live jobs (QUEUED, RUNNING) are never
 * archived. Each station archives only its own jobs, so that stations sharing a database do not
 * write the same jobs into two archives.
 */
@Component
public class JobArchiver {

    /** The final job states, written out because the job package's enum is not needed here. */
    private static final String FINAL_STATES = "('PASSED','FAILED','CANCELLED','INTERRUPTED')";
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** What one run moved out of the database. */
    public record Result(int jobs, int phases, List<Path> files) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RetentionProperties properties;
    private final String stationId;
    private final JsonMapper json;

    JobArchiver(JdbcTemplate jdbc, TransactionTemplate transactions, RetentionProperties properties,
            FlashLineProperties flashLine, JsonMapper json) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.stationId = flashLine.station().id();
        this.json = json;
    }

    /** Archives and deletes this station's final jobs that finished before {@code cutoff}. */
    public Result archiveFinishedBefore(Instant cutoff) {
        int jobs = 0;
        int phases = 0;
        List<Path> files = new ArrayList<>();
        OffsetDateTime before = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        while (true) {
            List<Long> ids = jdbc.queryForList("SELECT id FROM job WHERE station_id = ? AND finished_at < ? AND state IN "
                    + FINAL_STATES + " ORDER BY id LIMIT ?", Long.class, stationId, before, properties.batchSize());
            if (ids.isEmpty()) {
                return new Result(jobs, phases, Collections.unmodifiableList(files));
            }
            String in = ids.stream().map(id -> "?").collect(Collectors.joining(","));
            Object[] args = ids.toArray();
            List<Map<String, Object>> jobRows = jdbc.queryForList("SELECT * FROM job WHERE id IN (" + in + ") ORDER BY id",
                    args);
            List<Map<String, Object>> phaseRows = jdbc.queryForList(
                    "SELECT * FROM job_phase WHERE job_id IN (" + in + ") ORDER BY job_id, seq", args);
            Path file = write(ids, jobRows, phaseRows);
            files.add(file);
            int[] deleted = transactions.execute(status -> new int[] {
                    jdbc.update("DELETE FROM job_phase WHERE job_id IN (" + in + ")", args),
                    jdbc.update("DELETE FROM job WHERE id IN (" + in + ") AND state IN " + FINAL_STATES, args)});
            phases += deleted[0];
            jobs += deleted[1];
        }
    }

    private Path write(List<Long> ids, List<Map<String, Object>> jobRows, List<Map<String, Object>> phaseRows) {
        Map<Long, List<Map<String, Object>>> phasesByJob = new LinkedHashMap<>();
        for (Map<String, Object> row : phaseRows) {
            Map<String, Object> phase = plain(row);
            phasesByJob.computeIfAbsent(((Number) phase.get("job_id")).longValue(), id -> new ArrayList<>()).add(phase);
        }
        StringBuilder lines = new StringBuilder();
        for (Map<String, Object> row : jobRows) {
            Map<String, Object> job = plain(row);
            List<Map<String, Object>> phases = phasesByJob.getOrDefault(((Number) job.get("id")).longValue(), List.of());
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("job", job);
            line.put("phases", phases);
            lines.append(json.writeValueAsString(line)).append('\n');
        }
        String name = String.format(Locale.ROOT, "flashline-jobs-%s-%s-%d-%d.jsonl", stationId.replaceAll("[^A-Za-z0-9._-]", "_"),
                FILE_TIME.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)), ids.get(0), ids.get(ids.size() - 1));
        try {
            Path directory = properties.archiveDirectory();
            Files.createDirectories(directory);
            Path target = directory.resolve(name);
            Path part = directory.resolve(name + ".part");
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                // On disk before the rows are deleted: the file is all that is left of them then.
                channel.force(true);
            }
            return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job archive " + name + " in "
                    + properties.archiveDirectory().toAbsolutePath(), e);
        }
    }

    /** Lower-case column names (H2 reports them upper-case) and ISO-8601 instants for timestamps. */
    private static Map<String, Object> plain(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((column, value) -> out.put(column.toLowerCase(Locale.ROOT), plain(value)));
        return out;
    }

    private static Object plain(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        if (value instanceof Instant t) {
            return t.toString();
        }
        return value;
    }
}
