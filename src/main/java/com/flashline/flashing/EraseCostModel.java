package com.flashline.flashing;

import com.flashline.dfu.Sector;
import com.flashline.rom.FlashTimes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Host-side estimates that choose how a sector is prepared for writing: read it first (so that a
 * blank sector, or one already holding what the image puts there, need not be erased), erase it
 * straight away, or erase the whole flash at once. Uses the family's datasheet erase times
 * ({@link FlashTimes}, from the ROM behaviour table) and the cost of USB Full-Speed control transfers.
 */
record EraseCostModel(FlashTimes eraseTimes, int transferSize) {

    /**
     * A Full-Speed control transfer is scheduled in 1 ms frames and carries at most about 1250 data
     * bytes per frame (19 64-byte packets with tokens, CRC, handshakes and bit stuffing), so a
     * transfer costs about 1 ms plus 0.82 ms per KiB of data.
     */
    static final Duration FULL_SPEED_PER_TRANSFER = Duration.ofMillis(1);
    static final Duration FULL_SPEED_PER_KIBIBYTE = Duration.ofNanos(820_000);
    /** Set Address Pointer (DNLOAD and two GETSTATUS) and the ABORT into dfuIDLE before the first UPLOAD. */
    static final int READ_SETUP_TRANSFERS = 4;

    /** Reading {@code bytes} from one pointer on, in blocks of wTransferSize, at Full Speed. */
    Duration readTime(long bytes) {
        long blocks = (bytes + transferSize - 1) / transferSize;
        return Duration.ofNanos(FULL_SPEED_PER_TRANSFER.toNanos() * (blocks + READ_SETUP_TRANSFERS)
                + FULL_SPEED_PER_KIBIBYTE.toNanos() * bytes / 1024);
    }

    /** Whether reading the sector costs less than erasing it; false when its erase time is unknown. */
    boolean worthReading(Sector sector) {
        if (!sector.readable()) {
            return false;
        }
        Optional<Duration> erase = eraseTimes.sectorErase(sector.size());
        return erase.isPresent() && readTime(sector.size()).compareTo(erase.get()) < 0;
    }

    /**
     * Whether one mass erase is cheaper than erasing {@code toErase} one by one. The caller must only
     * ask when {@code toErase} is the whole flash: a mass erase must not wipe what the image leaves alone.
     */
    boolean massEraseCheaper(List<Sector> toErase) {
        Optional<Duration> mass = eraseTimes.knownMassErase();
        if (mass.isEmpty()) {
            return false;
        }
        Duration sectors = Duration.ZERO;
        for (Sector sector : toErase) {
            Optional<Duration> erase = eraseTimes.sectorErase(sector.size());
            if (erase.isEmpty()) {
                return false;
            }
            sectors = sectors.plus(erase.get());
        }
        return mass.get().compareTo(sectors) < 0;
    }
}
