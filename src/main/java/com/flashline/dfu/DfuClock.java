package com.flashline.dfu;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

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
            // Not Thread.sleep(millis, nanos): up to JDK 20 it rounds any fraction up to a whole
            // extra millisecond, which made every sub-millisecond wait (a 2.6 ms transfer, a 0 ms
            // bwPollTimeout raised to the minimum interval) cost up to 1 ms more. parkNanos may
            // also return early (spuriously), so finish the wait against the monotonic clock:
            // the engine must never poll before bwPollTimeout.
            long deadline = System.nanoTime() + nanos;
            for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting " + duration);
                }
            }
        }

        @Override
        public String toString() {
            return "SYSTEM";
        }
    };
}
