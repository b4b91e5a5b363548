package com.flashline.dfu;

/** The device reported an error status (bStatus other than OK, or bState dfuERROR). */
public class DfuStatusException extends DfuException {

    public DfuStatusException(String message, DfuRequest request, DfuStatus reported) {
        super(message + ": device reports " + reported, request, reported.status(), reported.state(), null);
    }

    @Override
    public String errorCode() {
        return status() == null || status() == DfuStatusCode.OK
                ? "DFU_UNEXPECTED_STATE"
                : "DFU_" + status().name();
    }
}
