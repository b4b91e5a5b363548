package com.flashline.flashing;

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
