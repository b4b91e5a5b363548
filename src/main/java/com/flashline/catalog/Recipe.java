package com.flashline.catalog;

import com.flashline.flashing.EraseMode;
import com.flashline.serial.SerialSequence;
import com.flashline.serial.SerialSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * How to flash one product: which firmware, how to erase, and what to add per unit.
 *
 * @param verify         always true: a unit is only PASSED after every written byte was read back
 * @param serial         per-unit serial record, or null when the recipe does not serialise
 * @param optionBytes    option bytes to program, or null to leave them alone
 * @param allowUnprotect whether a read-protected device may be unprotected (which mass-erases it)
 * @param leave          whether to leave DFU mode and start the application at the end
 * @param createdBy      the actor who created it
 */
public record Recipe(long id, String name, long firmwareId, String firmwareSha256, EraseMode eraseMode,
        boolean verify, SerialSpec serial, OptionBytes optionBytes, boolean allowUnprotect, boolean leave,
        Instant createdAt, String createdBy) {

    /** What serial allocation needs of this recipe; empty when the recipe does not serialise. */
    public Optional<SerialSequence> serialSequence() {
        return serial == null ? Optional.empty()
                : Optional.of(new SerialSequence(id, serial, firmwareId, firmwareSha256));
    }
}
