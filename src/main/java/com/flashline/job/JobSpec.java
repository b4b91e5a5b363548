package com.flashline.job;

import com.flashline.catalog.Firmware;
import com.flashline.catalog.Recipe;

/**
 * Everything the pipeline needs to run a job, resolved from the database: the recipe and the
 * firmware metadata ({@code FirmwareCatalog.content(firmware.id())} gives the file's bytes).
 */
public record JobSpec(long jobId, String port, JobState state, Recipe recipe, Firmware firmware) {
}
