package com.flashline.sim;

import com.flashline.rom.ClearStatusOutsideError;
import com.flashline.rom.EarlyStatus;
import com.flashline.rom.PollTimeouts;
import com.flashline.rom.RomBehaviour;
import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated board behaves where real ROMs differ or where tests want control.
 *
 * @param timeScale       0 = every operation completes at once; 1 = datasheet timing; values in
 *                        between or above scale flash and USB times alike
 * @param blockAddressing which length the Read/Write Memory address formula multiplies by
 * @param statusTiming    how GETSTATUS reports a running operation: as the ROM behaviour table says
 *                        for the profile's family ({@link StatusTiming#ROM}), or one behaviour forced
 * @param stallsWhileBusy for ROMs that stall GETSTATUS while erasing: how many GETSTATUS requests are
 *                        stalled in a row before the device answers dfuDNBUSY again
 * @param understatedPollTimeout for {@link StatusTiming#UNDERSTATED}, {@link StatusTiming#HOLD} and
 *                        {@link StatusTiming#STALL_WHILE_BUSY}: the bwPollTimeout reported instead
 *                        of the real duration (never longer than the real duration; not scaled)
 * @param usb             the Full-Speed control-transfer cost model
 * @param clearStatusOutsideError what the ROM does with CLRSTATUS outside dfuERROR; {@code null}:
 *                        as the table says for the family ({@link ClearStatusOutsideError#STALLS}
 *                        forces the STM32C5 way on any profile)
 * @param wedges          whether the family's known wedge ({@link RomBehaviour#wedge()}, the
 *                        STM32H7 rev V second-bank erase) happens, on every erase it concerns
 */
public record SimOptions(double timeScale, BlockAddressing blockAddressing, StatusTiming statusTiming,
        int stallsWhileBusy, Duration understatedPollTimeout, UsbTiming usb,
        ClearStatusOutsideError clearStatusOutsideError, boolean wedges) {

    /**
     * AN3156 computes Read/Write Memory addresses as
     * {@code (wBlockNum - 2) * wTransferSize + Address_Pointer}; what "wTransferSize" means differs.
     */
    public enum BlockAddressing {
        /** AN3156's wording: "wTransferSize is the length of the requested data buffer" (this request's wLength). */
        REQUEST_LENGTH,
        /** ST's device middleware ({@code usbd_dfu.c}): the functional descriptor's wTransferSize. */
        TRANSFER_SIZE
    }

    /** How a device reports an operation that is still running. */
    public enum StatusTiming {
        /**
         * What the profile family's real ROM does, from the ROM behaviour table: on the F4 fixed
         * timeouts (100 ms after a command, 104 ms after a block, scaled with the time scale) and a
         * held GETSTATUS; on the L4 too short a timeout and GETSTATUS stalled while erasing; exact
         * timeouts where the table records nothing.
         */
        ROM,
        /** bwPollTimeout is the real remaining time of the operation; polled early, the device answers busy again. */
        ACCURATE,
        /** bwPollTimeout is much shorter than the operation; polled while still busy it answers dfuDNBUSY again. */
        UNDERSTATED,
        /** bwPollTimeout is understated and a GETSTATUS while busy is held (the call blocks on the clock) until the operation completes. */
        HOLD,
        /**
         * L4-like: bwPollTimeout is understated and, while an erase runs, GETSTATUS is stalled (a
         * transfer-level stall; the device stays busy and does not enter dfuERROR) up to
         * {@code stallsWhileBusy} times in a row.
         */
        STALL_WHILE_BUSY
    }

    /**
     * USB Full-Speed control transfer cost: a fixed part per transfer (SETUP and status stages,
     * scheduling in 1 ms frames) plus a time per data byte (12 Mbit/s in 64-byte packets with
     * token, CRC, handshake and bit stuffing overhead).
     */
    public record UsbTiming(Duration perTransfer, Duration perKibibyte) {
        /** Measured order of magnitude of a Linux host against an STM32 ROM. */
        public static final UsbTiming FULL_SPEED = new UsbTiming(Duration.ofMillis(1), Duration.ofNanos(820_000));

        public UsbTiming {
            Objects.requireNonNull(perTransfer, "perTransfer");
            Objects.requireNonNull(perKibibyte, "perKibibyte");
        }
    }

    /** What the simulated ROM reports in bwPollTimeout and does with a GETSTATUS while busy. */
    record RomTiming(PollTimeouts timeouts, EarlyStatus early) {
    }

    public SimOptions {
        if (!(timeScale >= 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale must be a finite number >= 0: " + timeScale);
        }
        Objects.requireNonNull(blockAddressing, "blockAddressing");
        Objects.requireNonNull(statusTiming, "statusTiming");
        Objects.requireNonNull(understatedPollTimeout, "understatedPollTimeout");
        Objects.requireNonNull(usb, "usb");
        if (stallsWhileBusy < 0) {
            throw new IllegalArgumentException("stallsWhileBusy must be >= 0");
        }
    }

    /** Instant operations, AN3156 addressing, the ROM's own status behaviour. */
    public static SimOptions defaults() {
        return new SimOptions(0, BlockAddressing.REQUEST_LENGTH, StatusTiming.ROM, 3,
                Duration.ofMillis(5), UsbTiming.FULL_SPEED, null, false);
    }

    /** Datasheet timing and the ROM's own status behaviour (use with a {@link com.flashline.dfu.VirtualClock} in tests). */
    public static SimOptions realistic() {
        return defaults().withTimeScale(1);
    }

    /**
     * The timing a board of the family {@code rom} shows: the table's, with its reported times
     * scaled like every other ROM time, or the behaviour {@link #statusTiming} forces.
     */
    RomTiming romTiming(RomBehaviour rom) {
        PollTimeouts understated = PollTimeouts.tooShort(understatedPollTimeout);
        return switch (statusTiming) {
            case ROM -> new RomTiming(scaled(rom.pollTimeouts()), rom.earlyStatus());
            case ACCURATE -> new RomTiming(PollTimeouts.exact(), EarlyStatus.ANSWERS_BUSY);
            case UNDERSTATED -> new RomTiming(understated, EarlyStatus.ANSWERS_BUSY);
            case HOLD -> new RomTiming(understated, EarlyStatus.HELD);
            case STALL_WHILE_BUSY -> new RomTiming(understated, EarlyStatus.STALLS_WHILE_ERASING);
        };
    }

    /** What the ROM does with CLRSTATUS outside dfuERROR: this option, else the family's. */
    ClearStatusOutsideError clearStatusOutsideError(RomBehaviour rom) {
        return clearStatusOutsideError != null ? clearStatusOutsideError : rom.clearStatusOutsideError();
    }

    private PollTimeouts scaled(PollTimeouts timeouts) {
        if (timeouts.style() == PollTimeouts.Style.EXACT) {
            return timeouts;
        }
        return new PollTimeouts(timeouts.style(), scale(timeouts.afterCommand()), scale(timeouts.afterBlock()));
    }

    private Duration scale(Duration rom) {
        return Duration.ofNanos(Math.round(rom.toNanos() * timeScale));
    }

    public SimOptions withTimeScale(double scale) {
        return new SimOptions(scale, blockAddressing, statusTiming, stallsWhileBusy, understatedPollTimeout, usb,
                clearStatusOutsideError, wedges);
    }

    public SimOptions withBlockAddressing(BlockAddressing addressing) {
        return new SimOptions(timeScale, addressing, statusTiming, stallsWhileBusy, understatedPollTimeout, usb,
                clearStatusOutsideError, wedges);
    }

    public SimOptions withStatusTiming(StatusTiming timing) {
        return new SimOptions(timeScale, blockAddressing, timing, stallsWhileBusy, understatedPollTimeout, usb,
                clearStatusOutsideError, wedges);
    }

    public SimOptions withStallsWhileBusy(int stalls) {
        return new SimOptions(timeScale, blockAddressing, statusTiming, stalls, understatedPollTimeout, usb,
                clearStatusOutsideError, wedges);
    }

    public SimOptions withUnderstatedPollTimeout(Duration timeout) {
        return new SimOptions(timeScale, blockAddressing, statusTiming, stallsWhileBusy, timeout, usb,
                clearStatusOutsideError, wedges);
    }

    public SimOptions withUsb(UsbTiming timing) {
        return new SimOptions(timeScale, blockAddressing, statusTiming, stallsWhileBusy, understatedPollTimeout, timing,
                clearStatusOutsideError, wedges);
    }

    public SimOptions withClearStatusOutsideError(ClearStatusOutsideError behaviour) {
        return new SimOptions(timeScale, blockAddressing, statusTiming, stallsWhileBusy, understatedPollTimeout, usb,
                behaviour, wedges);
    }

    public SimOptions withWedges(boolean on) {
        return new SimOptions(timeScale, blockAddressing, statusTiming, stallsWhileBusy, understatedPollTimeout, usb,
                clearStatusOutsideError, on);
    }
}
