package com.flashline.dfu;

import com.flashline.error.FailureCode;

/** The device reported an error status (bStatus other than OK, or bState dfuERROR). */
public class DfuStatusException extends DfuException {

    public DfuStatusException(String message, DfuRequest request, DfuStatus reported) {
        super(message + ": device reports " + reported, request, reported.status(), reported.state(), null);
    }

    @Override
    public FailureCode errorCode() {
        return status() == null ? FailureCode.DFU_UNEXPECTED_STATE : status().failureCode();
    }
}
