package com.flashline.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated board behaves where real ROMs differ or where tests want control.
 *
 * @param timeScale       0 = every operation completes at once; 1 = datasheet timing; values in
 *                        between or above scale flash and USB times alike
 * @param blockAddressing which length the Read/Write Memory address formula multiplies by
 * @param statusTiming    how GETSTATUS reports a running operation
 * @param stallsWhileBusy for {@link StatusTiming#STALL_WHILE_BUSY}: how many GETSTATUS requests are
 *                        stalled while an erase runs before the device answers dfuDNBUSY again
 * @param understatedPollTimeout for {@link StatusTiming#UNDERSTATED}, {@link StatusTiming#HOLD} and
 *                        {@link StatusTiming#STALL_WHILE_BUSY}: the bwPollTimeout reported instead
 *                        of the real duration (never longer than the real duration)
 * @param usb             the Full-Speed control-transfer cost model
 */
public record SimOptions(double timeScale, BlockAddressing blockAddressing, StatusTiming statusTiming,
        int stallsWhileBusy, Duration understatedPollTimeout, UsbTiming usb) {

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
        /** bwPollTimeout is the real remaining time of the operation. */
        ACCURATE,
        /** bwPollTimeout is much shorter than the operation; polled while still busy it answers dfuDNBUSY again. */
        UNDERSTATED,
        /** The GETSTATUS after dfuDNBUSY is held (the call blocks on the clock) until the operation completes. */
        HOLD,
        /**
         * L4-like: while an erase runs, GETSTATUS is stalled (a transfer-level stall; the device stays
         * busy and does not enter dfuERROR) up to {@code stallsWhileBusy} times.
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

    /** Instant operations, AN3156 addressing, accurate status. */
    public static SimOptions defaults() {
        return new SimOptions(0, BlockAddressing.REQUEST_LENGTH, StatusTiming.ACCURATE, 3,
                Duration.ofMillis(5), UsbTiming.FULL_SPEED);
    }

    /** Datasheet timing (use with a {@link com.flashline.dfu.VirtualClock} in tests). */
    public static SimOptions realistic() {
        return defaults().withTimeScale(1);
    }

    public SimOptions withTimeScale(double scale) {
        return new SimOptions(scale, blockAddressing, statusTiming, stallsWhileBusy, understatedPollTimeout, usb);
    }

    public SimOptions withBlockAddressing(BlockAddressing addressing) {
        return new SimOptions(timeScale, addressing, statusTiming, stallsWhileBusy, understatedPollTimeout, usb);
    }

    public SimOptions withStatusTiming(StatusTiming timing) {
        return new SimOptions(timeScale, blockAddressing, timing, stallsWhileBusy, understatedPollTimeout, usb);
    }

    public SimOptions withStallsWhileBusy(int stalls) {
        return new SimOptions(timeScale, blockAddressing, statusTiming, stalls, understatedPollTimeout, usb);
    }

    public SimOptions withUnderstatedPollTimeout(Duration timeout) {
        return new SimOptions(timeScale, blockAddressing, statusTiming, stallsWhileBusy, timeout, usb);
    }

    public SimOptions withUsb(UsbTiming timing) {
        return new SimOptions(timeScale, blockAddressing, statusTiming, stallsWhileBusy, understatedPollTimeout, timing);
    }
}
