package com.flashline.dfu;

import com.flashline.error.FailureCode;

/**
 * The operation stopped because the caller cancelled it or the thread was interrupted. The
 * interrupt flag stays set when an interrupt was the reason.
 */
public class DfuCancelledException extends DfuException {

    public DfuCancelledException(String message, Throwable cause) {
        super(message, null, null, null, cause);
    }

    @Override
    public FailureCode errorCode() {
        return FailureCode.DFU_CANCELLED;
    }
}
