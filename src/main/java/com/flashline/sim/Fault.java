package com.flashline.sim;

import com.flashline.dfu.DfuStatusCode;
import java.util.Objects;

/**
 * One injected misbehaviour. Request numbers count every control transfer a board received since
 * it was built, starting at 1 ({@link SimulatedStm32#controlTransferCount()} + 1 is the next one).
 */
public sealed interface Fault {

    /** Request {@code requestNumber} is stalled at the transfer level; the DFU state does not change. */
    record StallRequest(long requestNumber) implements Fault {
    }

    /**
     * Request {@code requestNumber} completes on the wire, but the device enters dfuERROR with
     * {@code status}; if it is a GETSTATUS, that answer already reports it.
     */
    record ErrorStatusOnRequest(long requestNumber, DfuStatusCode status) implements Fault {
        public ErrorStatusOnRequest {
            requireError(status);
        }
    }

    /** The next Write Memory or Erase that executes fails with {@code status} and changes nothing. */
    record ErrorStatusOnNextWriteOrErase(DfuStatusCode status) implements Fault {
        public ErrorStatusOnNextWriteOrErase {
            requireError(status);
        }
    }

    /** The device drops off the bus instead of answering request {@code requestNumber}. */
    record DisconnectAtRequest(long requestNumber, boolean reenumerate) implements Fault {
    }

    /** The device drops off the bus when a Write Memory that covers {@code address} executes (nothing is written). */
    record DisconnectOnWrite(long address, boolean reenumerate) implements Fault {
    }

    /** UPLOAD data from [start, end) comes back with bits flipped by {@code xorMask}; flash is unchanged. */
    record CorruptReadback(long start, long end, int xorMask) implements Fault {
        public CorruptReadback {
            if (end <= start || (xorMask & 0xFF) == 0) {
                throw new IllegalArgumentException("a corruption needs a non-empty range and a non-zero byte mask");
            }
        }
    }

    /**
     * The Write Memory that covers {@code address} (flash, OTP or an option-byte block) is done and
     * acknowledged, but the byte at {@code address} then holds its programmed value XOR {@code xorMask}:
     * a cell that did not take its value. Read-back is truthful, so the wrong byte is really in
     * memory. One-shot.
     */
    record CorruptWrite(long address, int xorMask) implements Fault {
        public CorruptWrite {
            if ((xorMask & 0xFF) == 0) {
                throw new IllegalArgumentException("a corruption needs a non-zero byte mask");
            }
        }
    }

    /**
     * Every flash Write Memory whose block starts in [start, end) is acknowledged with OK and the
     * usual programming time, yet nothing is programmed: a sector the write skipped. Persistent.
     */
    record SkipFlashWrites(long start, long end) implements Fault {
        public SkipFlashWrites {
            if (end <= start) {
                throw new IllegalArgumentException("a skipped range cannot be empty");
            }
        }
    }

    private static void requireError(DfuStatusCode status) {
        Objects.requireNonNull(status, "status");
        if (status == DfuStatusCode.OK) {
            throw new IllegalArgumentException("an injected error status cannot be OK");
        }
    }
}
