package com.flashline.sim;

import com.flashline.dfu.Sector;
import java.time.Duration;

/**
 * The time every simulated operation takes, already multiplied by {@link SimOptions#timeScale()}.
 * Benchmarks use the same formulas to compute the lower bound a perfect host could reach:
 * {@code sum(transferTime) + sum(eraseTime) + programTime(image)}.
 */
public record TimingModel(ChipProfile profile, SimOptions options) {

    /** One control transfer carrying {@code dataBytes} in its data stage. */
    public Duration transferTime(int dataBytes) {
        SimOptions.UsbTiming usb = options.usb();
        long nanos = usb.perTransfer().toNanos() + usb.perKibibyte().toNanos() * dataBytes / 1024;
        return scale(Duration.ofNanos(nanos));
    }

    public Duration eraseTime(Sector sector) {
        return scale(profile.flashTimes().sectorErase(sector.size()).orElseThrow(() ->
                new IllegalArgumentException("no erase time for sectors of " + sector.size() + " bytes")));
    }

    /**
     * The family's typical mass-erase time; where the datasheet gives none (H7), the simulator takes
     * the sum of its sectors' erase times.
     */
    public Duration massEraseTime() {
        return scale(profile.flashTimes().knownMassErase().orElseGet(() -> profile.flashSectors().stream()
                .map(s -> profile.flashTimes().sectorErase(s.size()).orElseThrow())
                .reduce(Duration.ZERO, Duration::plus)));
    }

    /** Programming {@code bytes} of flash, rounded up to whole program units. */
    public Duration programTime(int bytes) {
        return scale(profile.flashTimes().programTime(bytes));
    }

    /** Applies the time scale to a datasheet duration. */
    public Duration scale(Duration datasheet) {
        double scale = options.timeScale();
        if (scale == 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.round(datasheet.toNanos() * scale));
    }

    /** The bwPollTimeout field (whole milliseconds, rounded up, 24 bits) for a duration. */
    public static int pollTimeoutMillis(Duration d) {
        long nanos = Math.max(0, d.toNanos());
        long ms = (nanos + 999_999) / 1_000_000;
        return (int) Math.min(ms, 0xFF_FFFF);
    }
}
