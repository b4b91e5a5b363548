package com.flashline.dfu;

import com.flashline.error.FailureCode;

/** An operation (erase, write block, leave...) did not complete within its overall timeout. */
public class DfuTimeoutException extends DfuException {

    public DfuTimeoutException(String message, DfuRequest request, DfuStatus lastStatus) {
        super(message + (lastStatus == null ? "" : ": last status " + lastStatus), request,
                lastStatus == null ? null : lastStatus.status(), lastStatus == null ? null : lastStatus.state(), null);
    }

    @Override
    public FailureCode errorCode() {
        return FailureCode.DFU_TIMEOUT;
    }
}
