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
 * @param stallBackoff         wait after a stalled GETSTATUS when the last bwPollTimeout was shorter
 */
public record DfuOptions(Duration transferTimeout, Duration longStatusTimeout, Duration commandTimeout,
        Duration sectorEraseTimeout, Duration massEraseTimeout, int maxRecoveryTries, int maxBusyStalls,
        Duration minPollInterval, Duration stallBackoff) {

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

    public DfuOptions withTransferTimeout(Duration value) {
        return new DfuOptions(value, longStatusTimeout, commandTimeout, sectorEraseTimeout, massEraseTimeout,
                maxRecoveryTries, maxBusyStalls, minPollInterval, stallBackoff);
    }

    public DfuOptions withCommandTimeout(Duration value) {
        return new DfuOptions(transferTimeout, longStatusTimeout, value, sectorEraseTimeout, massEraseTimeout,
                maxRecoveryTries, maxBusyStalls, minPollInterval, stallBackoff);
    }

    public DfuOptions withMaxRecoveryTries(int value) {
        return new DfuOptions(transferTimeout, longStatusTimeout, commandTimeout, sectorEraseTimeout,
                massEraseTimeout, value, maxBusyStalls, minPollInterval, stallBackoff);
    }

    public DfuOptions withMaxBusyStalls(int value) {
        return new DfuOptions(transferTimeout, longStatusTimeout, commandTimeout, sectorEraseTimeout,
                massEraseTimeout, maxRecoveryTries, value, minPollInterval, stallBackoff);
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
