package com.flashline.device;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuTransport;
import com.flashline.flashing.DeviceConnector;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Whether a board is on one port, and how many times one arrived there: the connector of a job
 * that reset its board blocks here (on the arrival event, not on a polling loop) until the board
 * has enumerated again.
 *
 * <p>Arrivals are counted because presence alone cannot tell the enumeration a job reset from the
 * one that replaced it: a source may hear of the departure only after the job asks for the board
 * again (libusb reports it from its event thread), and then the port still looks occupied.
 */
final class PortPresence {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean present;
    private long arrivals;

    void arrived() {
        lock.lock();
        try {
            present = true;
            arrivals++;
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

    /**
     * Waits up to {@code timeout} until a board is present that arrived after the first
     * {@code seen} arrivals.
     *
     * @return the number of arrivals so far, or -1 when none came in time
     */
    long awaitArrivalAfter(long seen, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!present || arrivals <= seen) {
                if (nanos <= 0) {
                    return -1;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return arrivals;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A connector for one job on this port. Its first call opens the board that is there (or
     * arrives within the timeout); every later call comes after a reset the job caused, and waits
     * for the next arrival: the board enumerating again. Who is on the port then, the pipeline
     * checks by the chip's unique ID.
     *
     * @param port says which port in messages
     * @param open opens the board that is on the port now
     */
    DeviceConnector connector(String port, Supplier<DfuTransport> open) {
        long[] opened = {0};
        return timeout -> {
            long arrival;
            try {
                arrival = awaitArrivalAfter(opened[0], timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceGoneException("interrupted while waiting for a board on port " + port, null);
            }
            if (arrival < 0) {
                throw new DeviceGoneException((opened[0] == 0 ? "no board on port " : "no board came back on port ")
                        + port + " within " + timeout, null);
            }
            opened[0] = arrival;
            return open.get();
        };
    }
}
