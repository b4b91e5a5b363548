package com.flashline.serial;

import java.util.Objects;

/**
 * One recipe's serial numbering, as the job that flashes it already holds it: the recipe's id keys
 * the sequence and the chip's number, the spec formats and places the record, and the firmware is
 * named on the SERIAL_ALLOCATED audit record.
 */
public record SerialSequence(long recipeId, SerialSpec spec, long firmwareId, String firmwareSha256) {

    public SerialSequence {
        Objects.requireNonNull(spec, "spec");
    }
}
