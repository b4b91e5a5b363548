package com.flashline.rom;

import java.time.Duration;
import java.util.Objects;

/**
 * A known way a ROM gets stuck: a sector erase at or above {@code fromAddress} finishes on the chip
 * but the ROM stays in dfuDNBUSY, past its own bwPollTimeout, until the host clears it with two
 * CLRSTATUS (the first answers errUNKNOWN / dfuERROR, the second OK / dfuIDLE).
 *
 * @param fromAddress    the lowest address whose erase wedges (the second bank's start)
 * @param recognisedAfter how long a sector erase must stay busy before the host takes it for the
 *                       wedge rather than a slow erase: twice the datasheet maximum
 */
public record EraseWedge(long fromAddress, Duration recognisedAfter) {

    public EraseWedge {
        Objects.requireNonNull(recognisedAfter, "recognisedAfter");
    }
}
