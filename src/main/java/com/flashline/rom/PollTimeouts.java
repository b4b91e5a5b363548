package com.flashline.rom;

import java.time.Duration;
import java.util.Objects;

/**
 * What a ROM puts in bwPollTimeout when it answers dfuDNBUSY.
 *
 * @param style        how the reported time relates to the operation's
 * @param afterCommand {@link Style#FIXED}: the time reported after a DfuSe command (Set Address
 *                     Pointer, erase, Read Unprotect); {@link Style#TOO_SHORT}: the time reported for
 *                     any operation that takes longer
 * @param afterBlock   {@link Style#FIXED}: the time reported after a Write Memory block
 */
public record PollTimeouts(Style style, Duration afterCommand, Duration afterBlock) {

    public enum Style {
        /** The operation's real (remaining) time, as DFU 1.1 means it. */
        EXACT,
        /** Constants, whatever the operation takes: too long for a block, far too short for a mass erase. */
        FIXED,
        /** Less than the operation takes; polled at the reported time the ROM is still busy. */
        TOO_SHORT
    }

    public PollTimeouts {
        Objects.requireNonNull(style, "style");
        if (style != Style.EXACT) {
            Objects.requireNonNull(afterCommand, "afterCommand");
            Objects.requireNonNull(afterBlock, "afterBlock");
        }
    }

    public static PollTimeouts exact() {
        return new PollTimeouts(Style.EXACT, null, null);
    }

    public static PollTimeouts fixed(Duration afterCommand, Duration afterBlock) {
        return new PollTimeouts(Style.FIXED, afterCommand, afterBlock);
    }

    public static PollTimeouts tooShort(Duration reported) {
        return new PollTimeouts(Style.TOO_SHORT, reported, reported);
    }

    /**
     * What the ROM reports for an operation with {@code remaining} time to run.
     *
     * @param block whether the operation is a Write Memory block (else a DfuSe command)
     */
    public Duration reported(boolean block, Duration remaining) {
        return switch (style) {
            case EXACT -> remaining;
            case FIXED -> block ? afterBlock : afterCommand;
            case TOO_SHORT -> afterCommand.compareTo(remaining) < 0 ? afterCommand : remaining;
        };
    }

    @Override
    public String toString() {
        return switch (style) {
            case EXACT -> "exact";
            case FIXED -> "fixed " + afterCommand.toMillis() + " ms after a command, " + afterBlock.toMillis()
                    + " ms after a block";
            case TOO_SHORT -> "too short (" + afterCommand.toMillis() + " ms)";
        };
    }
}
