package com.flashline.dfu;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when someone sleeps on it or advances it: deterministic timing for tests. */
public final class VirtualClock implements DfuClock {

    private final AtomicLong now = new AtomicLong();

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleep(Duration duration) {
        advance(duration);
    }

    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not run backwards: " + duration);
        }
        now.addAndGet(duration.toNanos());
    }

    /** Total virtual time elapsed since creation. */
    public Duration elapsed() {
        return Duration.ofNanos(now.get());
    }
}
