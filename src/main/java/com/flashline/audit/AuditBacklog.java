package com.flashline.audit;

import java.time.Instant;

/** Records after a position: how many, and when the oldest of them was recorded (null when none). */
public record AuditBacklog(long records, Instant oldestRecordedAt) {
}
