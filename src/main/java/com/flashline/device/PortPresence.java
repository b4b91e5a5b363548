package com.flashline.device;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether a board is on one port, with a wait for the next arrival: the connector of a job that
 * reset its board blocks here (on the arrival event, not on a polling loop) until the board is back.
 */
final class PortPresence {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean present;

    void arrived() {
        lock.lock();
        try {
            present = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void departed() {
        lock.lock();
        try {
            present = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean present() {
        lock.lock();
        try {
            return present;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether a board is present, waiting up to {@code timeout} for one to arrive */
    boolean awaitPresent(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!present) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    static boolean await(PortPresence presence, Duration timeout) {
        try {
            return presence.awaitPresent(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
