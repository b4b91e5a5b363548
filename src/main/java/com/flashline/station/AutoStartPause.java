package com.flashline.station;

import java.time.Instant;

/**
 * Why and since when auto-start queues nothing on this station (the yield guard, job side:
 * {@code job.YieldGuard}); shown in {@code GET /api/v1/station} as {@code autoStartPaused}.
 *
 * @param reason what the guard saw, e.g. the yield of the last jobs
 * @param since  when it paused
 */
public record AutoStartPause(String reason, Instant since) {
}
