package com.flashline.rom;

import com.flashline.dfu.PollPolicy;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One row of the {@link RomTable}: how one family's system-bootloader ROM behaves where ROMs differ,
 * and the chip facts the host and the simulator need about it. Build rows with {@link #of} and the
 * {@code with...} methods.
 *
 * @param id                 stable key of the row (the setting {@code flashline.dfu.poll-policy-by-family} uses it)
 * @param family             the family name recorded on jobs
 * @param recognises         tells the ROM from what it reports over USB
 * @param bootloaderVersions the bcdDevice values the timing behaviour was seen with; a ROM of the
 *                           family with another version is polled spec-literally. Empty: any
 * @param pollTimeouts       what the ROM reports in bwPollTimeout
 * @param earlyStatus        what it does with a GETSTATUS that arrives while an operation runs
 * @param clearStatusOutsideError what it does with CLRSTATUS outside dfuERROR
 * @param wedge              a known way it gets stuck in dfuDNBUSY, or {@code null}
 * @param constantSerial     the USB serial string every chip of the family reports, or {@code null}
 *                           when the ROM derives it from the unique ID
 * @param uniqueId           where the 96-bit unique ID lives, or {@code null} when the host cannot
 *                           tell from USB alone (it then identifies the board without one)
 * @param flash              datasheet flash timings at the ROM's parallelism, or {@code null}
 */
public record RomBehaviour(String id, String family, Predicate<RomReport> recognises, Set<Integer> bootloaderVersions,
        PollTimeouts pollTimeouts, EarlyStatus earlyStatus, ClearStatusOutsideError clearStatusOutsideError,
        EraseWedge wedge, String constantSerial, UniqueIdLocation uniqueId, FlashTimes flash) {

    public RomBehaviour {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(recognises, "recognises");
        bootloaderVersions = Set.copyOf(bootloaderVersions);
        Objects.requireNonNull(pollTimeouts, "pollTimeouts");
        Objects.requireNonNull(earlyStatus, "earlyStatus");
        Objects.requireNonNull(clearStatusOutsideError, "clearStatusOutsideError");
    }

    /**
     * A row for a ROM about which nothing is known beyond how to recognise it: DFU 1.1 as written
     * (exact timeouts, an early GETSTATUS answered busy, CLRSTATUS stalled outside dfuERROR).
     */
    public static RomBehaviour of(String id, String family, Predicate<RomReport> recognises) {
        return new RomBehaviour(id, family, recognises, Set.of(), PollTimeouts.exact(), EarlyStatus.ANSWERS_BUSY,
                ClearStatusOutsideError.STALLS, null, null, null, null);
    }

    public RomBehaviour withTiming(PollTimeouts timeouts, EarlyStatus early, Integer... versions) {
        return new RomBehaviour(id, family, recognises, Set.of(versions), timeouts, early, clearStatusOutsideError,
                wedge, constantSerial, uniqueId, flash);
    }

    public RomBehaviour withClearStatusOutsideError(ClearStatusOutsideError value) {
        return new RomBehaviour(id, family, recognises, bootloaderVersions, pollTimeouts, earlyStatus, value,
                wedge, constantSerial, uniqueId, flash);
    }

    public RomBehaviour withWedge(EraseWedge value) {
        return new RomBehaviour(id, family, recognises, bootloaderVersions, pollTimeouts, earlyStatus,
                clearStatusOutsideError, value, constantSerial, uniqueId, flash);
    }

    public RomBehaviour withConstantSerial(String value) {
        return new RomBehaviour(id, family, recognises, bootloaderVersions, pollTimeouts, earlyStatus,
                clearStatusOutsideError, wedge, value, uniqueId, flash);
    }

    public RomBehaviour withUniqueId(UniqueIdLocation value) {
        return new RomBehaviour(id, family, recognises, bootloaderVersions, pollTimeouts, earlyStatus,
                clearStatusOutsideError, wedge, constantSerial, value, flash);
    }

    public RomBehaviour withFlash(FlashTimes value) {
        return new RomBehaviour(id, family, recognises, bootloaderVersions, pollTimeouts, earlyStatus,
                clearStatusOutsideError, wedge, constantSerial, uniqueId, value);
    }

    public boolean matches(RomReport rom) {
        return recognises.test(rom);
    }

    public Optional<EraseWedge> knownWedge() {
        return Optional.ofNullable(wedge);
    }

    public Optional<String> knownConstantSerial() {
        return Optional.ofNullable(constantSerial);
    }

    public Optional<UniqueIdLocation> knownUniqueId() {
        return Optional.ofNullable(uniqueId);
    }

    public Optional<FlashTimes> knownFlash() {
        return Optional.ofNullable(flash);
    }

    /**
     * How the engine polls this ROM: at once where it holds an early GETSTATUS (the hold lasting up
     * to its longest erase), with the wedge recovery where it has a known wedge, else as DFU 1.1 says.
     * A ROM of the family whose bootloader version the behaviour was not seen with is polled as
     * DFU 1.1 says.
     */
    public PollPolicy pollPolicy(int bcdDevice) {
        if (!bootloaderVersions.isEmpty() && !bootloaderVersions.contains(bcdDevice)) {
            return PollPolicy.SPEC_LITERAL;
        }
        if (earlyStatus == EarlyStatus.HELD) {
            return PollPolicy.heldStatus(knownFlash().flatMap(FlashTimes::longestErase).orElse(null));
        }
        if (wedge != null) {
            return PollPolicy.wedgeRecovering(wedge.recognisedAfter());
        }
        return PollPolicy.SPEC_LITERAL;
    }

    @Override
    public String toString() {
        return id;
    }
}
