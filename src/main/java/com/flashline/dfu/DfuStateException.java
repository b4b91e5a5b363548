package com.flashline.dfu;

import com.flashline.error.FailureCode;

/** The device could not be brought into the state a request needs (AN3156 sections 4.2 and 5). */
public class DfuStateException extends DfuException {

    public DfuStateException(String message, DfuRequest request, DfuStatus lastStatus) {
        super(message + (lastStatus == null ? "" : ": last status " + lastStatus), request,
                lastStatus == null ? null : lastStatus.status(), lastStatus == null ? null : lastStatus.state(), null);
    }

    @Override
    public FailureCode errorCode() {
        return FailureCode.DFU_STATE;
    }
}
