package com.flashline.dfu;

/**
 * The operation stopped because the caller cancelled it or the thread was interrupted. The
 * interrupt flag stays set when an interrupt was the reason.
 */
public class DfuCancelledException extends DfuException {

    public DfuCancelledException(String message, Throwable cause) {
        super(message, null, null, null, cause);
    }

    @Override
    public String errorCode() {
        return "DFU_CANCELLED";
    }
}
