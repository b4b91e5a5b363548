package com.flashline.dfu;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the engine waits for an operation a DNLOAD started, chosen per ROM (the ROM behaviour table,
 * {@code com.flashline.rom}) or forced by the station's setting. DFU 1.1 asks the host to wait the
 * bwPollTimeout of a busy answer before the next GETSTATUS; ST's F4/F7 ROMs report fixed times
 * (100 ms after a command, 104 ms after a 2 KiB block) whatever the flash takes, and run the
 * operation while a GETSTATUS that arrives meanwhile waits for its answer. Polling such a ROM right
 * away costs the chip's own time instead of the reported one.
 *
 * @param name        how the job record names the policy
 * @param earlyPoll   when the GETSTATUS after a busy answer may go
 * @param heldUpTo    with {@link EarlyPoll#AT_ONCE}: the longest the ROM may hold a GETSTATUS (its
 *                    longest operation, a mass erase); the poll's transfer timeout covers it.
 *                    {@code null}: the engine's long status timeout alone
 * @param wedgedAfter a sector erase still busy this long after its DNLOAD means the ROM is stuck in
 *                    dfuDNBUSY (STM32H7 rev V, second bank); the engine then clears it with
 *                    CLRSTATUS. {@code null}: never assumed, the operation's timeout applies
 */
public record PollPolicy(String name, EarlyPoll earlyPoll, Duration heldUpTo, Duration wedgedAfter) {

    /** When the GETSTATUS after a dfuDNBUSY answer may be sent. */
    public enum EarlyPoll {
        /** Not before the reported bwPollTimeout has elapsed (DFU 1.1). */
        AFTER_POLL_TIMEOUT,
        /**
         * Right away: the ROM holds the request and answers it when the operation is done. Should an
         * answer come back busy all the same, the ROM does not hold, and the engine waits the
         * reported times from then on.
         */
        AT_ONCE
    }

    /** DFU 1.1 as written, for a ROM the table does not know: every bwPollTimeout is honoured. */
    public static final PollPolicy SPEC_LITERAL = new PollPolicy("SPEC_LITERAL", EarlyPoll.AFTER_POLL_TIMEOUT,
            null, null);

    public PollPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(earlyPoll, "earlyPoll");
        if (heldUpTo != null && (heldUpTo.isNegative() || heldUpTo.isZero())) {
            throw new IllegalArgumentException("heldUpTo must be positive: " + heldUpTo);
        }
        if (wedgedAfter != null && (wedgedAfter.isNegative() || wedgedAfter.isZero())) {
            throw new IllegalArgumentException("wedgedAfter must be positive: " + wedgedAfter);
        }
    }

    /** For a ROM that holds an early GETSTATUS until its operation ends, the longest being {@code longestOperation}. */
    public static PollPolicy heldStatus(Duration longestOperation) {
        return new PollPolicy("HELD_STATUS", EarlyPoll.AT_ONCE, longestOperation, null);
    }

    /** Spec-literal waits, and a sector erase busy for longer than {@code wedgedAfter} is taken for a wedged ROM. */
    public static PollPolicy wedgeRecovering(Duration wedgedAfter) {
        return new PollPolicy("WEDGE_RECOVERY", EarlyPoll.AFTER_POLL_TIMEOUT, null,
                Objects.requireNonNull(wedgedAfter, "wedgedAfter"));
    }

    public Optional<Duration> knownHeldUpTo() {
        return Optional.ofNullable(heldUpTo);
    }

    public Optional<Duration> knownWedgedAfter() {
        return Optional.ofNullable(wedgedAfter);
    }

    @Override
    public String toString() {
        return name;
    }
}
