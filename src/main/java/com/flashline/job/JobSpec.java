package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.catalog.Firmware;
import com.flashline.catalog.Recipe;

/**
 * Everything the pipeline needs to run a job: the recipe and the firmware metadata it was queued
 * with ({@code FirmwareImages.image(firmware)} gives the image to write), and who started it
 * (the actor of what the job records, such as its serial number).
 */
public record JobSpec(long jobId, String port, Recipe recipe, Firmware firmware, Actor startedBy) {
}
