package com.flashline.rom;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A family's datasheet flash timings at the parallelism its ROM programs and erases with: what the
 * simulator takes for the chip's own time, what the host weighs reading a sector against erasing
 * it with, and what bounds a held GETSTATUS.
 *
 * @param programUnit bytes one program operation writes: the ROM's parallelism (F4 at x8: 1 byte;
 *                    F0/F1: a half-word; L4/G4: a double-word; H7: a 256-bit flash word)
 * @param programTime typical time of one program operation; {@code null} when not recorded
 * @param sectorErase typical and maximum erase time of a sector (page) by its size in bytes
 * @param massErase   typical and maximum mass-erase time; {@code null} when not characterised (the
 *                    host then never chooses a mass erase on its own)
 */
public record FlashTimes(int programUnit, Duration programTime, Map<Integer, EraseTime> sectorErase,
        EraseTime massErase) {

    /** A datasheet erase time: typical, and the maximum a healthy chip may take ({@code null}: not recorded). */
    public record EraseTime(Duration typical, Duration max) {
        public EraseTime {
            Objects.requireNonNull(typical, "typical");
            if (max != null && max.compareTo(typical) < 0) {
                throw new IllegalArgumentException("max " + max + " below typical " + typical);
            }
        }

        public static EraseTime millis(double typical, double max) {
            return new EraseTime(nanos(typical), nanos(max));
        }

        public static EraseTime typicalMillis(double typical) {
            return new EraseTime(nanos(typical), null);
        }

        private static Duration nanos(double millis) {
            return Duration.ofNanos(Math.round(millis * 1e6));
        }
    }

    public FlashTimes {
        if (programUnit != 1 && programUnit != 2 && programUnit != 4 && programUnit != 8 && programUnit != 16
                && programUnit != 32) {
            throw new IllegalArgumentException("a program unit is 1, 2, 4, 8, 16 or 32 bytes: " + programUnit);
        }
        sectorErase = Map.copyOf(sectorErase);
    }

    /** Typical erase time of a sector of {@code sectorSize} bytes, if characterised. */
    public Optional<Duration> sectorErase(int sectorSize) {
        return Optional.ofNullable(sectorErase.get(sectorSize)).map(EraseTime::typical);
    }

    /** Typical mass-erase time, if characterised. */
    public Optional<Duration> knownMassErase() {
        return Optional.ofNullable(massErase).map(EraseTime::typical);
    }

    /** Programming {@code bytes}, rounded up to whole program units, at the typical time per unit. */
    public Duration programTime(long bytes) {
        if (programTime == null) {
            throw new IllegalStateException("no program time recorded");
        }
        long units = (bytes + programUnit - 1) / programUnit;
        return programTime.multipliedBy(units);
    }

    /** The longest a healthy chip may take for one erase: the largest maximum recorded. */
    public Optional<Duration> longestErase() {
        return Stream.concat(sectorErase.values().stream(), Stream.ofNullable(massErase))
                .map(EraseTime::max).filter(Objects::nonNull).max(Duration::compareTo);
    }
}
