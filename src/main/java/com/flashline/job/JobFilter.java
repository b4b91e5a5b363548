package com.flashline.job;

import java.time.Instant;

/**
 * What {@code GET /jobs} filters on; a null field matches every job.
 *
 * @param queuedFrom jobs queued at or after this instant
 * @param queuedTo   jobs queued before this instant
 * @param workOrder  jobs queued under the work order with this number
 */
public record JobFilter(JobState state, String port, String usbSerial, String serialNumber, Instant queuedFrom,
        Instant queuedTo, String workOrder) {

    /** The filters before work orders. */
    public JobFilter(JobState state, String port, String usbSerial, String serialNumber, Instant queuedFrom,
            Instant queuedTo) {
        this(state, port, usbSerial, serialNumber, queuedFrom, queuedTo, null);
    }

    /** The filters {@code GET /jobs} had first: state, port and USB serial. */
    public static JobFilter of(JobState state, String port, String usbSerial) {
        return new JobFilter(state, port, usbSerial, null, null, null, null);
    }
}
