package com.flashline.sim;

import com.flashline.dfu.DfuStatusCode;
import java.time.Duration;

/**
 * The operation a simulated ROM runs in dfuDNBUSY after the GETSTATUS that started it. A wedged one
 * has finished on the chip, but the ROM stays busy ({@code until} never comes) and keeps reporting
 * the time it reported first. Not thread-safe; the board guards it with its own lock.
 */
final class RunningOperation {

    /** The outcome GETSTATUS reports once the operation is over. */
    final DfuStatusCode outcome;
    /** When it is over, on the board's clock. */
    final long until;
    final boolean erase;
    /** A Write Memory block rather than a DfuSe command (ROMs report different fixed times). */
    final boolean block;
    final boolean wedged;
    final Duration firstReported;
    /** Before this time a request is early: the last reported bwPollTimeout has not elapsed. */
    long pollDeadline;
    /** GETSTATUS requests still to stall, for ROMs that stall them while erasing. */
    int stallsLeft;

    RunningOperation(DfuStatusCode outcome, long until, boolean erase, boolean block, boolean wedged,
            Duration firstReported, int stallsLeft) {
        this.outcome = outcome;
        this.until = until;
        this.erase = erase;
        this.block = block;
        this.wedged = wedged;
        this.firstReported = firstReported;
        this.stallsLeft = stallsLeft;
    }
}
