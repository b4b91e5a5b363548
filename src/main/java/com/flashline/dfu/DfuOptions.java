package com.flashline.dfu;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and retry bounds of the DFU engine.
 *
 * @param transferTimeout      timeout of one ordinary control transfer
 * @param longStatusTimeout    transfer timeout of a GETSTATUS during an erase, mass erase, read
 *                             unprotect or option-byte write: an F4 ROM holds that answer until a
 *                             mass erase is done (around 30 s), so this must exceed the longest erase
 * @param commandTimeout       overall timeout of a quick operation (set address pointer, write one
 *                             block, leave)
 * @param sectorEraseTimeout   overall timeout of one sector or page erase
 * @param massEraseTimeout     overall timeout of a mass erase, a read unprotect (which mass-erases)
 *                             and an option-byte write
 * @param maxRecoveryTries     CLRSTATUS / ABORT attempts before the device counts as stuck
 * @param maxBusyStalls        stalled GETSTATUS requests tolerated while an operation is busy (L4
 *                             ROMs stall a few during an erase)
 * @param minPollInterval      lower bound between two polls, so a device that reports
 *                             bwPollTimeout 0 while busy is not hammered
 * @param stallBackoff         wait after the first stalled GETSTATUS of an operation when the last
 *                             bwPollTimeout was shorter; it doubles with each further stall, up to
 *                             {@link #MAX_STALL_BACKOFF}
 * @param pollPolicies         how each device's operations are polled ({@link PollPolicy}); by default
 *                             every device as DFU 1.1 says
 */
public record DfuOptions(Duration transferTimeout, Duration longStatusTimeout, Duration commandTimeout,
        Duration sectorEraseTimeout, Duration massEraseTimeout, int maxRecoveryTries, int maxBusyStalls,
        Duration minPollInterval, Duration stallBackoff, PollPolicySelector pollPolicies) {

    /** The longest wait after a stalled GETSTATUS, however many stalls came before. */
    public static final Duration MAX_STALL_BACKOFF = Duration.ofSeconds(1);

    public static final DfuOptions DEFAULTS = new DfuOptions(Duration.ofSeconds(5), Duration.ofSeconds(45),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(120), 5, 10,
            Duration.ofMillis(1), Duration.ofMillis(20));

    public DfuOptions {
        requirePositive("transferTimeout", transferTimeout);
        requirePositive("longStatusTimeout", longStatusTimeout);
        requirePositive("commandTimeout", commandTimeout);
        requirePositive("sectorEraseTimeout", sectorEraseTimeout);
        requirePositive("massEraseTimeout", massEraseTimeout);
        requirePositive("minPollInterval", minPollInterval);
        requirePositive("stallBackoff", stallBackoff);
        if (maxRecoveryTries < 1) {
            throw new IllegalArgumentException("maxRecoveryTries must be at least 1: " + maxRecoveryTries);
        }
        if (maxBusyStalls < 0) {
            throw new IllegalArgumentException("maxBusyStalls must not be negative: " + maxBusyStalls);
        }
        Objects.requireNonNull(pollPolicies, "pollPolicies");
    }

    /** Every device polled as DFU 1.1 says. */
    public DfuOptions(Duration transferTimeout, Duration longStatusTimeout, Duration commandTimeout,
            Duration sectorEraseTimeout, Duration massEraseTimeout, int maxRecoveryTries, int maxBusyStalls,
            Duration minPollInterval, Duration stallBackoff) {
        this(transferTimeout, longStatusTimeout, commandTimeout, sectorEraseTimeout, massEraseTimeout,
                maxRecoveryTries, maxBusyStalls, minPollInterval, stallBackoff, PollPolicySelector.SPEC_LITERAL);
    }

    public static DfuOptions defaults() {
        return DEFAULTS;
    }

    /** The overall time one operation may take, from its DNLOAD to its final GETSTATUS. */
    public Duration operationTimeout(DfuOperation operation) {
        return switch (operation) {
            case ERASE_SECTOR -> sectorEraseTimeout;
            case MASS_ERASE, READ_UNPROTECT, WRITE_OPTION_BYTES -> massEraseTimeout;
            case SET_ADDRESS_POINTER, WRITE_MEMORY, LEAVE -> commandTimeout;
        };
    }

    /**
     * The transfer timeout of a GETSTATUS polled during {@code operation}: at least the ordinary
     * transfer timeout, at least the last bwPollTimeout plus that (a ROM may answer only when the
     * announced time is over), and the long bound for operations a ROM may hold the answer through.
     */
    public Duration statusTimeout(DfuOperation operation, int lastPollTimeoutMillis) {
        Duration timeout = max(transferTimeout, transferTimeout.plusMillis(lastPollTimeoutMillis));
        return operation.longRunning() ? max(timeout, longStatusTimeout) : timeout;
    }

    /**
     * The transfer timeout of a GETSTATUS polled during {@code operation} under {@code policy}: a ROM
     * polled at once holds the request through the operation, so for the long ones the timeout also
     * covers the policy's longest operation.
     */
    public Duration statusTimeout(DfuOperation operation, int lastPollTimeoutMillis, PollPolicy policy) {
        Duration timeout = statusTimeout(operation, lastPollTimeoutMillis);
        if (policy.earlyPoll() == PollPolicy.EarlyPoll.AT_ONCE && operation.longRunning()
                && policy.heldUpTo() != null) {
            timeout = max(timeout, policy.heldUpTo().plus(transferTimeout));
        }
        return timeout;
    }

    /** The least wait after the {@code stall}-th stalled GETSTATUS (from 1) of one operation. */
    public Duration stallBackoff(int stall) {
        if (stall < 1) {
            throw new IllegalArgumentException("stalls count from 1: " + stall);
        }
        Duration cap = max(stallBackoff, MAX_STALL_BACKOFF);
        Duration backoff = stallBackoff;
        for (int i = 1; i < stall && backoff.compareTo(cap) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(cap) > 0 ? cap : backoff;
    }

    public DfuOptions withTransferTimeout(Duration value) {
        return new DfuOptions(value, longStatusTimeout, commandTimeout, sectorEraseTimeout, massEraseTimeout,
                maxRecoveryTries, maxBusyStalls, minPollInterval, stallBackoff, pollPolicies);
    }

    public DfuOptions withCommandTimeout(Duration value) {
        return new DfuOptions(transferTimeout, longStatusTimeout, value, sectorEraseTimeout, massEraseTimeout,
                maxRecoveryTries, maxBusyStalls, minPollInterval, stallBackoff, pollPolicies);
    }

    public DfuOptions withMaxRecoveryTries(int value) {
        return new DfuOptions(transferTimeout, longStatusTimeout, commandTimeout, sectorEraseTimeout,
                massEraseTimeout, value, maxBusyStalls, minPollInterval, stallBackoff, pollPolicies);
    }

    public DfuOptions withMaxBusyStalls(int value) {
        return new DfuOptions(transferTimeout, longStatusTimeout, commandTimeout, sectorEraseTimeout,
                massEraseTimeout, maxRecoveryTries, value, minPollInterval, stallBackoff, pollPolicies);
    }

    public DfuOptions withPollPolicies(PollPolicySelector value) {
        return new DfuOptions(transferTimeout, longStatusTimeout, commandTimeout, sectorEraseTimeout,
                massEraseTimeout, maxRecoveryTries, maxBusyStalls, minPollInterval, stallBackoff, value);
    }

    /** Every device polled with {@code policy}. */
    public DfuOptions withPollPolicy(PollPolicy policy) {
        return withPollPolicies(PollPolicySelector.always(policy));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
