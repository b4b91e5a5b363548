package com.flashline.dfu;

/**
 * A decoded GETSTATUS answer: bStatus, the 24-bit little-endian bwPollTimeout in milliseconds,
 * bState and iString.
 */
public record DfuStatus(DfuStatusCode status, int pollTimeoutMillis, DfuState state, int iString) {

    public static final int MAX_POLL_TIMEOUT = 0xFF_FFFF;

    public DfuStatus {
        if (status == null || state == null) {
            throw new IllegalArgumentException("status and state are required");
        }
        if (pollTimeoutMillis < 0 || pollTimeoutMillis > MAX_POLL_TIMEOUT) {
            throw new IllegalArgumentException("bwPollTimeout does not fit 24 bits: " + pollTimeoutMillis);
        }
        if (iString < 0 || iString > 0xFF) {
            throw new IllegalArgumentException("iString out of range: " + iString);
        }
    }

    public static DfuStatus of(DfuStatusCode status, DfuState state) {
        return new DfuStatus(status, 0, state, 0);
    }

    /** Decodes the six bytes of a GETSTATUS data stage. */
    public static DfuStatus decode(byte[] data) {
        if (data == null || data.length != DfuRequest.STATUS_LENGTH) {
            throw new DfuProtocolException("GETSTATUS answer must be 6 bytes, got "
                    + (data == null ? "none" : data.length));
        }
        int poll = (data[1] & 0xFF) | (data[2] & 0xFF) << 8 | (data[3] & 0xFF) << 16;
        return new DfuStatus(DfuStatusCode.fromCode(data[0] & 0xFF), poll,
                DfuState.fromCode(data[4] & 0xFF), data[5] & 0xFF);
    }

    public byte[] encode() {
        return new byte[] {
            (byte) status.code(),
            (byte) pollTimeoutMillis, (byte) (pollTimeoutMillis >>> 8), (byte) (pollTimeoutMillis >>> 16),
            (byte) state.code(),
            (byte) iString
        };
    }

    public boolean isError() {
        return status != DfuStatusCode.OK || state == DfuState.DFU_ERROR;
    }

    @Override
    public String toString() {
        return status + "/" + state + " (bwPollTimeout " + pollTimeoutMillis + " ms)";
    }
}
