package com.flashline.dfu;

/** The device answered something DFU 1.1 / AN3156 does not allow (malformed or unexpected). */
public class DfuProtocolException extends DfuException {

    public DfuProtocolException(String message) {
        super(message);
    }

    public DfuProtocolException(String message, DfuRequest request, DfuStatusCode status, DfuState state) {
        super(message, request, status, state, null);
    }

    @Override
    public String errorCode() {
        return "DFU_PROTOCOL";
    }
}
