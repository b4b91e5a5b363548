package com.flashline.station;

/** What a fixture slot is doing right now (runtime only, never persisted). */
public enum PortState {
    EMPTY,
    DEVICE_PRESENT,
    QUEUED,
    FLASHING,
    PASSED,
    FAILED,
    /** The job ended without a pass/fail verdict (cancelled, interrupted); remove the board. */
    DONE_WAITING_REMOVAL,
    /** Interlocked after too many failed jobs in a row; no job starts until an operator enables it. */
    DISABLED
}
