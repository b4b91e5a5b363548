package com.flashline.bench;

import com.flashline.dfu.DfuClock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The simulated board's clock in the efficiency benchmark: parks until shortly before the deadline
 * and spins the rest, so the board's modelled USB and flash times are kept to a few microseconds
 * instead of paying the kernel's timer slack (50 µs and more per sleep) on every transfer. The board
 * stands for hardware, whose timing has no such slack; what remains above the bound is the host's.
 * The host under test keeps {@link DfuClock#SYSTEM}.
 */
final class SpinTailClock implements DfuClock {

    private static final long SPIN_NANOS = 200_000;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = deadline - System.nanoTime(); left > SPIN_NANOS; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left - SPIN_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        while (System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Override
    public String toString() {
        return "SpinTailClock";
    }
}
