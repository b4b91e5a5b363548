package com.flashline.flashing;

import com.flashline.error.FailureCode;
import com.flashline.rom.FlashTimes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * UNPROTECT and OPTION_BYTES: the two steps after which the ROM resets the chip (AN3156 sections
 * 5.4 and 5.1). The chip leaves the bus and enumerates again in its bootloader on the same port;
 * the run waits for that enumeration (up to the re-enumeration timeout, as fwupd waits for a
 * replug), opens it and carries on only if it holds the same chip.
 *
 * <p>The same chip is the same unique ID: ROMs of some families report one USB serial for every
 * chip. Only where the UID was not known before the reset (a read-protected chip refuses to read
 * it, an unknown family has no UID address) is the USB serial all there is to compare.
 */
final class ChipResets {

    private final Duration reenumerationTimeout;

    ChipResets(Duration reenumerationTimeout) {
        this.reenumerationTimeout = Objects.requireNonNull(reenumerationTimeout, "reenumerationTimeout");
        if (reenumerationTimeout.isNegative() || reenumerationTimeout.isZero()) {
            throw new IllegalArgumentException("reenumerationTimeout must be positive: " + reenumerationTimeout);
        }
    }

    /** Read Unprotect: the ROM mass-erases the flash and resets; the chip's UID can be read from now on. */
    void unprotect(FlashRun run) {
        run.device().readUnprotect();
        // The ROM mass-erases before it resets (AN3156 5.4): the wait covers that erase too, at the
        // family's datasheet worst case, or the engine's mass-erase timeout where it is not known.
        Duration erase = Optional.ofNullable(run.family()).flatMap(ChipCatalog.ChipFamily::knownEraseTimes)
                .flatMap(FlashTimes::longestErase).orElse(run.board().massEraseTimeout());
        reconnectSameChip(run, reenumerationTimeout.plus(erase));
        run.unprotected();
    }

    /**
     * Writes the option-byte block (the ROM erases every option first, AN3156 section 5.1); once the
     * chip is back with its new options, reads the block back and compares it.
     */
    void writeOptionBytes(FlashRun run) {
        OptionBytesBlock block = run.request().optionBytes();
        byte[] bytes = block.bytes();
        run.device().writeOptionBytes(block.address(), bytes);
        run.written(bytes.length);
        reconnectSameChip(run, reenumerationTimeout);
        run.verified(Programming.readBackAndCompare(run, new WritePlan.Run(block.address(), bytes), 0,
                bytes.length));
    }

    private void reconnectSameChip(FlashRun run, Duration wait) {
        DeviceIdentity before = run.identity();
        Board board = run.board();
        board.reopen(wait, run.phase());
        String usbSerial = board.info().serialNumber();
        String uid = run.family() == null ? null : Identification.readUidIfTheRomAllows(run, run.family());
        if (before.chipUid() != null ? !before.chipUid().equals(uid) : !Objects.equals(before.usbSerial(), usbSerial)) {
            throw run.fail(FailureCode.DEVICE_CHANGED, "after the reset the port holds another chip ("
                    + describe(uid, usbSerial) + "; was " + describe(before.chipUid(), before.usbSerial()) + ")");
        }
        if (before.chipUid() == null && uid != null) {
            run.identified(new DeviceIdentity(before.portPath(), before.usbSerial(), uid, before.chipFamily(),
                    before.bootloaderVersion()));
        }
    }

    private static String describe(String uid, String usbSerial) {
        return (uid != null ? "UID " + uid + ", " : "") + "USB serial " + usbSerial;
    }
}
