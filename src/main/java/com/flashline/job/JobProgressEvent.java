package com.flashline.job;

/**
 * A running job entered a phase ({@code phaseChanged}) or moved its byte progress. Published from
 * the worker's thread for every block, so listeners must only take note and return.
 */
public record JobProgressEvent(long jobId, boolean phaseChanged) {
}
