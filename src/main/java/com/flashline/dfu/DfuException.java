package com.flashline.dfu;

import com.flashline.error.FailureCode;

/**
 * Base of every failure the DFU layer reports. Carries, where known, the request that failed and
 * the bStatus / bState the device reported, so that a job record can say exactly what happened.
 */
public class DfuException extends RuntimeException {

    private final DfuRequest request;
    private final DfuStatusCode status;
    private final DfuState state;

    public DfuException(String message, DfuRequest request, DfuStatusCode status, DfuState state,
            Throwable cause) {
        super(message, cause);
        this.request = request;
        this.status = status;
        this.state = state;
    }

    public DfuException(String message) {
        this(message, null, null, null, null);
    }

    /** The request that failed, or {@code null} when the failure is not tied to one request. */
    public DfuRequest request() {
        return request;
    }

    /** bStatus the device reported, or {@code null} when it reported none. */
    public DfuStatusCode status() {
        return status;
    }

    /** bState the device reported, or {@code null} when it reported none. */
    public DfuState state() {
        return state;
    }

    /** A short stable code for records and APIs, e.g. {@code DEVICE_GONE} or {@code DFU_ERR_TARGET}. */
    public FailureCode errorCode() {
        return FailureCode.DFU_ERROR;
    }
}
