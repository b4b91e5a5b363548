package com.flashline.dfu;

import java.time.Duration;

/**
 * Time as the DFU engine and the simulator see it. The system clock really waits; a
 * {@link VirtualClock} advances instantly, so tests can run realistic timing (bwPollTimeout of
 * seconds) without sleeping while still checking that nobody polls early.
 */
public interface DfuClock {

    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Waits at least {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;

    DfuClock SYSTEM = new DfuClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            long nanos = duration.toNanos();
            if (nanos <= 0) {
                return;
            }
            // Thread.sleep may return a little early on some platforms; the engine must never poll
            // before bwPollTimeout, so finish the wait against the monotonic clock.
            long deadline = System.nanoTime() + nanos;
            for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            }
        }

        @Override
        public String toString() {
            return "SYSTEM";
        }
    };
}
