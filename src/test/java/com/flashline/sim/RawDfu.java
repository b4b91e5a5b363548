package com.flashline.sim;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.dfu.DfuTransport;
import java.time.Duration;

/** Speaks raw DFU / DfuSe to a transport, one control transfer per call; no engine logic. */
final class RawDfu {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final DfuTransport transport;
    final DfuClock clock;

    RawDfu(DfuTransport transport, DfuClock clock) {
        this.transport = transport;
        this.clock = clock;
    }

    DfuStatus getStatus() {
        return DfuStatus.decode(transport.controlIn(DfuRequest.GETSTATUS.setup(0, 0, 6), TIMEOUT));
    }

    DfuState getState() {
        byte[] b = transport.controlIn(DfuRequest.GETSTATE.setup(0, 0, 1), TIMEOUT);
        return DfuState.fromCode(b[0] & 0xFF);
    }

    void clrStatus() {
        transport.controlOut(DfuRequest.CLRSTATUS.setup(0, 0, 0), new byte[0], TIMEOUT);
    }

    void abort() {
        transport.controlOut(DfuRequest.ABORT.setup(0, 0, 0), new byte[0], TIMEOUT);
    }

    void dnload(int block, byte[] data) {
        transport.controlOut(DfuRequest.DNLOAD.setup(block, 0, data.length), data, TIMEOUT);
    }

    byte[] upload(int block, int length) {
        return transport.controlIn(DfuRequest.UPLOAD.setup(block, 0, length), TIMEOUT);
    }

    void raw(int bmRequestType, int bRequest, int wValue, int wIndex, byte[] data) {
        transport.controlOut(new ControlSetup(bmRequestType, bRequest, wValue, wIndex, data.length), data, TIMEOUT);
    }

    byte[] rawIn(int bmRequestType, int bRequest, int wValue, int wIndex, int wLength) {
        return transport.controlIn(new ControlSetup(bmRequestType, bRequest, wValue, wIndex, wLength), TIMEOUT);
    }

    void sleep(int millis) {
        try {
            clock.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** GETSTATUS, honouring bwPollTimeout, until the device leaves dfuDNBUSY; returns the final status. */
    DfuStatus pollUntilDone() {
        DfuStatus s = getStatus();
        while (s.state() == DfuState.DFU_DNBUSY) {
            sleep(s.pollTimeoutMillis());
            s = getStatus();
        }
        return s;
    }

    /** Sends a DfuSe command (wValue 0) and polls it to completion. */
    DfuStatus command(byte... bytes) {
        dnload(0, bytes);
        return pollUntilDone();
    }

    DfuStatus setAddress(long address) {
        return command(addressCommand(0x21, address));
    }

    DfuStatus erase(long address) {
        return command(addressCommand(0x41, address));
    }

    DfuStatus massErase() {
        return command((byte) 0x41);
    }

    /** Write Memory of {@code data} at block {@code block} and poll to completion. */
    DfuStatus write(int block, byte[] data) {
        dnload(block, data);
        return pollUntilDone();
    }

    /** Set Address + write at block 2, as dfu-util does. */
    DfuStatus writeAt(long address, byte[] data) {
        DfuStatus s = setAddress(address);
        if (s.isError()) {
            return s;
        }
        return write(2, data);
    }

    /** Set Address, ABORT, read at block 2, ABORT back to idle (as dfu-util does). */
    byte[] readAt(long address, int length) {
        DfuStatus s = setAddress(address);
        if (s.isError()) {
            throw new AssertionError("set address failed: " + s);
        }
        abort(); // UPLOAD is not allowed in dfuDNLOAD-IDLE
        byte[] b = upload(2, length);
        abort();
        return b;
    }

    static byte[] addressCommand(int command, long address) {
        return new byte[] {(byte) command, (byte) address, (byte) (address >>> 8), (byte) (address >>> 16),
            (byte) (address >>> 24)};
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }
}
