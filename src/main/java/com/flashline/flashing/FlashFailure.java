package com.flashline.flashing;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuCancelledException;
import com.flashline.dfu.DfuException;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.DfuStatusException;
import com.flashline.error.FailureCode;

/**
 * Why a board did not pass: the phase it failed in, a stable code for records and metrics
 * ({@code DEVICE_GONE}, {@code VERIFY_MISMATCH}, {@code READ_PROTECTED}, {@code DFU_ERR_TARGET} …),
 * and whether trying the same board again may help.
 */
public class FlashFailure extends RuntimeException {

    private final Phase phase;
    private final FailureCode code;
    private final Long firstMismatchAddress;
    private final boolean retryable;

    public FlashFailure(Phase phase, FailureCode code, String message, Long firstMismatchAddress, boolean retryable,
            Throwable cause) {
        super(message, cause);
        this.phase = phase;
        this.code = code;
        this.firstMismatchAddress = firstMismatchAddress;
        this.retryable = retryable;
    }

    /**
     * What {@code e}, thrown in {@code phase}, means for the board: the engine's code, retryable
     * unless the board is gone, the run was cancelled or the chip is read-protected; anything that
     * is not a DFU failure is an internal error.
     */
    static FlashFailure of(Phase phase, RuntimeException e) {
        if (e instanceof FlashFailure f) {
            return f;
        }
        String message = phase + ": " + e.getMessage();
        if (e instanceof DfuCancelledException) {
            return new FlashFailure(phase, FailureCode.CANCELLED, message, null, false, e);
        }
        if (e instanceof DeviceGoneException) {
            return new FlashFailure(phase, FailureCode.DEVICE_GONE, message, null, false, e);
        }
        if (e instanceof DfuStatusException s && s.status() == DfuStatusCode.ERR_VENDOR) {
            // errVENDOR is the STM32 ROM's answer under read protection: trying again will not help.
            return new FlashFailure(phase, s.errorCode(), message + " (is the chip read-protected?)", null,
                    false, e);
        }
        if (e instanceof DfuException d) {
            return new FlashFailure(phase, d.errorCode(), message, null, true, e);
        }
        return new FlashFailure(phase, FailureCode.INTERNAL_ERROR, message, null, false, e);
    }

    public Phase phase() {
        return phase;
    }

    public FailureCode code() {
        return code;
    }

    /** The first address whose read-back differed from the image, for VERIFY failures; else {@code null}. */
    public Long firstMismatchAddress() {
        return firstMismatchAddress;
    }

    public boolean retryable() {
        return retryable;
    }
}
