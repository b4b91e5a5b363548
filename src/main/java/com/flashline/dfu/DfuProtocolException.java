package com.flashline.dfu;

import com.flashline.error.FailureCode;

/** The device answered something DFU 1.1 / AN3156 does not allow (malformed or unexpected). */
public class DfuProtocolException extends DfuException {

    public DfuProtocolException(String message) {
        super(message);
    }

    public DfuProtocolException(String message, DfuRequest request, DfuStatusCode status, DfuState state) {
        super(message, request, status, state, null);
    }

    @Override
    public FailureCode errorCode() {
        return FailureCode.DFU_PROTOCOL;
    }
}
