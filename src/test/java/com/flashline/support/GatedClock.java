package com.flashline.support;

import com.flashline.dfu.DfuClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual time (datasheet timing without waiting) for a whole station, with a gate: while the gate
 * is closed, every thread that sleeps on the clock, i.e. every simulated transfer and every poll
 * wait, blocks until it opens. A test closes it to hold a job in the middle of its run.
 *
 * <p>Many jobs sleep on it at once, as boards work side by side: a sleep moves the time to at least
 * the sleeper's start plus its duration, so sleeps of different threads overlap instead of adding
 * up (eight jobs of one second take one virtual second, not eight, and no job's timeout runs out on
 * the others' waits). Each sleeper still wakes no earlier than it asked to.
 */
public final class GatedClock implements DfuClock {

    private final AtomicLong now = new AtomicLong();
    private final Object gate = new Object();
    private final AtomicInteger waiting = new AtomicInteger();
    private boolean closed;

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not run backwards: " + duration);
        }
        long wakeAt = now.get() + duration.toNanos();
        synchronized (gate) {
            if (closed) {
                waiting.incrementAndGet();
                try {
                    while (closed) {
                        gate.wait();
                    }
                } finally {
                    waiting.decrementAndGet();
                }
            }
        }
        now.accumulateAndGet(wakeAt, Math::max);
    }

    public void close() {
        synchronized (gate) {
            closed = true;
        }
    }

    public void open() {
        synchronized (gate) {
            closed = false;
            gate.notifyAll();
        }
    }

    /** Threads held at the closed gate right now. */
    public int waiting() {
        return waiting.get();
    }
}
