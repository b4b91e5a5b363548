package com.flashline.usb;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Control transfers in flight on one libusb context, so that the watcher's event thread stands
 * aside while a job is talking to its device.
 *
 * <p>A synchronous libusb transfer waits in {@code libusb_handle_events_completed}: if no other
 * thread is handling events it reaps its own completion, otherwise it sleeps until the thread that
 * holds libusb's event lock has reaped it and wakes it up. With the event thread always in
 * {@code libusb_handle_events}, every transfer of a job paid that hand-off between two threads
 * (measured on the umockdev bus: ~0.1 ms of ~0.7 ms per transfer, see docs/benchmarks.md,
 * realpath). So the event thread waits here while transfers run and until none has run for
 * {@code quiet}, and meanwhile the transferring threads handle events themselves, hotplug events
 * included: libusb runs every pending event, whichever thread handles them. Hotplug news is at
 * most {@code quiet} late.
 */
final class TransferActivity {

    /** For transports opened without a watcher: nothing waits on it. */
    static final TransferActivity NONE = new TransferActivity(Duration.ZERO, System::nanoTime);

    private final long quietNanos;
    private final LongSupplier nanoTime;
    private int inFlight;
    private long lastFinished;
    private boolean closed;

    TransferActivity(Duration quiet, LongSupplier nanoTime) {
        this.quietNanos = quiet.toNanos();
        this.nanoTime = nanoTime;
        this.lastFinished = nanoTime.getAsLong() - quietNanos;
    }

    synchronized void started() {
        inFlight++;
    }

    synchronized void finished() {
        inFlight--;
        lastFinished = nanoTime.getAsLong();
        notifyAll();
    }

    /**
     * Blocks the event thread while transfers are in flight and until none has finished for
     * {@code quiet}.
     *
     * @return true when it is the event thread's turn, false once {@link #close} was called
     */
    synchronized boolean awaitQuiet() throws InterruptedException {
        while (!closed) {
            if (inFlight == 0) {
                long left = lastFinished + quietNanos - nanoTime.getAsLong();
                if (left <= 0) {
                    return true;
                }
                wait(Math.max(1, left / 1_000_000));
            } else {
                wait();
            }
        }
        return false;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
