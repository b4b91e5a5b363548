package com.flashline.retention;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Job retention, bound from {@code flashline.retention.*} and documented in docs/operations.md.
 * Off by default: a station keeps every job until its operator decides how long the dashboard and
 * {@code GET /jobs} need them. The audit log is never pruned (it is the MES-facing hash chain and
 * already holds each job's outcome).
 *
 * @param enabled          archive and delete old jobs on a schedule
 * @param archiveAfter     jobs that finished longer ago than this are archived
 * @param archiveDirectory where the JSON-lines archive files are written (created if missing)
 * @param interval         time between two runs; the first runs one interval after start-up
 * @param batchSize        jobs per archive file and per delete transaction
 */
@Validated
@ConfigurationProperties("flashline.retention")
public record RetentionProperties(
        @DefaultValue("false") boolean enabled,
        @NotNull @DefaultValue("365d") Duration archiveAfter,
        @NotNull @DefaultValue("./data/archive") Path archiveDirectory,
        @NotNull @DefaultValue("1d") Duration interval,
        @Min(1) @Max(100_000) @DefaultValue("1000") int batchSize) {
}
