package com.flashline.support;

import com.flashline.dfu.DfuClock;
import com.flashline.dfu.VirtualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link VirtualClock} (datasheet timing without waiting) with a gate: while the gate is
 * closed, every thread that sleeps on the clock, i.e. every simulated transfer and every poll
 * wait, blocks until it opens. A test closes it to hold a job in the middle of its run.
 */
public final class GatedClock implements DfuClock {

    private final VirtualClock time = new VirtualClock();
    private final Object gate = new Object();
    private final AtomicInteger waiting = new AtomicInteger();
    private boolean closed;

    @Override
    public long nanoTime() {
        return time.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
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
        time.sleep(duration);
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
