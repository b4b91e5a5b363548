package com.flashline.sim;

import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuState;

/**
 * Something the host did that AN3156 / DFU 1.1 do not allow. Logged by the simulator so that tests
 * of the host engine can assert there were none.
 *
 * @param request     the request that violated the protocol, or {@code null} for a non-DFU request
 * @param state       the device state when the request arrived
 * @param clockNanos  {@link com.flashline.dfu.DfuClock#nanoTime()} when it happened
 */
public record ProtocolViolation(Kind kind, DfuRequest request, DfuState state, String message, long clockNanos) {

    public enum Kind {
        /** A request while dfuDNBUSY before the reported bwPollTimeout had elapsed. */
        POLLED_TOO_EARLY,
        /** A request the current state does not accept (stalled; the device enters dfuERROR). */
        REQUEST_IN_FORBIDDEN_STATE,
        /** Programming a flash unit that was not fully erased. */
        WRITE_TO_UNERASED_FLASH,
        /** Wrong bmRequestType, wIndex, wValue or wLength for the request. */
        BAD_SETUP,
        /** A data stage longer than wTransferSize. */
        TRANSFER_TOO_LARGE,
        /** A DfuSe command byte the ROM does not know, or a known one with the wrong length. */
        UNKNOWN_COMMAND
    }

    @Override
    public String toString() {
        return kind + " in " + state + (request == null ? "" : " on " + request) + ": " + message;
    }
}
