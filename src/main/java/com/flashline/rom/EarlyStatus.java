package com.flashline.rom;

/** What a ROM does with a GETSTATUS that arrives while the operation it started still runs. */
public enum EarlyStatus {
    /**
     * Holds it: the operation runs in the handler of the GETSTATUS that started it, so the next
     * request is answered only when the operation is done (ST's DFU device code).
     */
    HELD,
    /** Answers dfuDNBUSY again, with another bwPollTimeout (DFU 1.1). */
    ANSWERS_BUSY,
    /** Stalls it while an erase runs, without leaving dfuDNBUSY; other operations answer busy. */
    STALLS_WHILE_ERASING
}
