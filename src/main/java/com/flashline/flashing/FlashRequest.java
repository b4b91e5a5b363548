package com.flashline.flashing;

import com.flashline.firmware.FirmwareImage;
import java.util.Objects;

/**
 * Everything the pipeline needs to flash one board, independent of where it came from (a recipe
 * in the database, a benchmark, a test). Verification is not optional: a board passes only after
 * every written byte was read back and matched.
 *
 * @param image          the firmware to write
 * @param eraseMode      touched sectors only, or a mass erase
 * @param serial         allocates the per-unit serial record once the chip UID is known; {@code null} for none
 * @param optionBytes    an option-byte block to program after the image; {@code null} for none
 * @param allowUnprotect whether a read-protected board may be unprotected (which erases it)
 * @param leave          whether to leave DFU mode and start the application at the end
 */
public record FlashRequest(FirmwareImage image, EraseMode eraseMode, SerialRecordSource serial,
        OptionBytesBlock optionBytes, boolean allowUnprotect, boolean leave) {

    public FlashRequest {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(eraseMode, "eraseMode");
    }

    public static FlashRequest of(FirmwareImage image) {
        return new FlashRequest(image, EraseMode.SECTORS, null, null, false, true);
    }
}
