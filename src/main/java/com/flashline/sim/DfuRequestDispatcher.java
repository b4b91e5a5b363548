package com.flashline.sim;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuSeCommand;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.StallException;
import com.flashline.rom.ClearStatusOutsideError;
import com.flashline.rom.EarlyStatus;
import com.flashline.rom.EraseWedge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The USB side of the simulated ROM: every control request the board receives, its SETUP packet
 * checked, answered by the DFU 1.1 state machine as AN3156 describes it (GETSTATUS executing a
 * pending DNLOAD, dfuDNBUSY with bwPollTimeout), with the family's ROM behaviours from the ROM
 * table or the ones the options force (reported timeouts, an early GETSTATUS held, answered busy
 * or stalled, CLRSTATUS outside dfuERROR, the wedge), injected request-level faults, and the log of
 * what the host did that the protocol forbids. What a command or a data block does to the chip is
 * {@link RomCommandExecutor}'s.
 *
 * <p>Not thread-safe; the board guards it with its own lock.
 */
final class DfuRequestDispatcher {

    private static final int GET_DESCRIPTOR = 0x06;

    private final SimulatedStm32 board;
    private final RomCommandExecutor rom;
    private final ChipProfile profile;
    private final SimOptions options;
    private final DfuClock clock;
    private final FaultPlan faults;
    private final SimOptions.RomTiming timing;
    private final ClearStatusOutsideError clearStatusOutsideError;
    /** The family's wedge when the options let it happen, else null. */
    private final EraseWedge wedge;

    private final List<ProtocolViolation> violations = new ArrayList<>();
    private final Map<DfuRequest, Long> requestCounts = new EnumMap<>(DfuRequest.class);
    private long controlTransfers;
    private long heldStatusRequests;

    private DfuState state = DfuState.DFU_IDLE;
    private DfuStatusCode status = DfuStatusCode.OK;
    private int altSetting;
    private Download pendingDownload;
    private RunningOperation busy;
    private DfuStatusCode completedOutcome;

    /** A DNLOAD received and not yet executed (executed by the next GETSTATUS). */
    private record Download(int blockNum, byte[] data) {
    }

    /** A request the device refuses with a STALL handshake. */
    private static final class Stall extends RuntimeException {
        Stall(String message) {
            super(message, null, false, false);
        }
    }

    /** The GETSTATUS must wait on the clock (HOLD timing) before it can be answered. */
    static final class Hold extends RuntimeException {
        final long until;

        Hold(long until) {
            super(null, null, false, false);
            this.until = until;
        }
    }

    DfuRequestDispatcher(SimulatedStm32 board, RomCommandExecutor rom) {
        this.board = board;
        this.rom = rom;
        this.profile = board.profile();
        this.options = board.options();
        this.clock = board.clock();
        this.faults = board.faults();
        this.timing = options.romTiming(profile.rom());
        this.clearStatusOutsideError = options.clearStatusOutsideError(profile.rom());
        this.wedge = options.wedges() ? profile.rom().wedge() : null;
    }

    /** The state after (re-)enumeration: dfuIDLE, alt setting 0, nothing pending. */
    void reset() {
        state = DfuState.DFU_IDLE;
        status = DfuStatusCode.OK;
        altSetting = 0;
        pendingDownload = null;
        busy = null;
        completedOutcome = null;
    }

    /** The board left the bus: whatever was running stops there. */
    void abandonOperation() {
        busy = null;
    }

    DfuState state() {
        return state;
    }

    List<ProtocolViolation> violations() {
        return List.copyOf(violations);
    }

    long controlTransferCount() {
        return controlTransfers;
    }

    Map<DfuRequest, Long> requestCounts() {
        return Map.copyOf(requestCounts);
    }

    long heldStatusRequests() {
        return heldStatusRequests;
    }

    long requestCount(DfuRequest request) {
        return requestCounts.getOrDefault(request, 0L);
    }

    // ---------------------------------------------------------------- control transfers

    /**
     * Answers one control transfer ({@code data} null for device-to-host), after the request-level
     * faults of its number.
     *
     * @throws Hold when a held GETSTATUS must first wait; then call {@link #answerHeldStatus}
     */
    byte[] handle(ControlSetup setup, byte[] data) {
        boolean in = data == null;
        controlTransfers++;
        long number = controlTransfers;
        DfuRequest request = DfuRequest.fromCode(setup.bRequest());
        if (request != null && (setup.bmRequestType() & 0x7F) == ControlSetup.CLASS_INTERFACE_OUT) {
            requestCounts.merge(request, 1L, Long::sum);
        }
        Optional<Fault.DisconnectAtRequest> gone =
                faults.take(Fault.DisconnectAtRequest.class, f -> f.requestNumber() == number);
        if (gone.isPresent()) {
            board.disconnect(DisconnectReason.INJECTED, gone.get().reenumerate(), clock.nanoTime());
            throw new DeviceGoneException("device disconnected (injected fault at request " + number + ")", setup);
        }
        if (faults.take(Fault.StallRequest.class, f -> f.requestNumber() == number).isPresent()) {
            throw new StallException("device stalled the request (injected fault at request " + number + ")", setup);
        }
        try {
            byte[] answer = dispatch(request, setup, data, in);
            Optional<Fault.ErrorStatusOnRequest> err =
                    faults.take(Fault.ErrorStatusOnRequest.class, f -> f.requestNumber() == number);
            if (err.isPresent()) {
                enterError(err.get().status());
                if (request == DfuRequest.GETSTATUS) {
                    answer = DfuStatus.of(status, state).encode();
                }
            }
            return answer;
        } catch (Stall s) {
            throw new StallException(s.getMessage(), setup);
        }
    }

    /** The GETSTATUS answer once a {@link Hold} has been waited out. */
    byte[] answerHeldStatus(ControlSetup setup) {
        heldStatusRequests++;
        settleBusy();
        return getStatus(setup);
    }

    /** SET_INTERFACE: DFU 1.1 lets the alternate setting change only in dfuIDLE (or to leave dfuERROR). */
    void selectAltSetting(int alternateSetting, ControlSetup setup) {
        if (alternateSetting < 0 || alternateSetting >= profile.altSettingNames().size()) {
            throw new StallException("no alternate setting " + alternateSetting, setup);
        }
        if (state != DfuState.DFU_IDLE && state != DfuState.DFU_ERROR) {
            violation(ProtocolViolation.Kind.REQUEST_IN_FORBIDDEN_STATE, null, "SET_INTERFACE while " + state);
            throw new StallException("alternate setting cannot change in " + state, setup);
        }
        altSetting = alternateSetting;
    }

    private byte[] dispatch(DfuRequest request, ControlSetup setup, byte[] data, boolean in) {
        if (in && setup.bmRequestType() == 0x80 && setup.bRequest() == GET_DESCRIPTOR) {
            // Standard requests are answered by the USB core whatever the DFU state.
            byte[] d = board.descriptors().forGetDescriptor(setup.wValue())
                    .orElseThrow(() -> new Stall("no descriptor " + Integer.toHexString(setup.wValue())));
            return Arrays.copyOf(d, Math.min(d.length, setup.wLength()));
        }
        if ((setup.bmRequestType() & 0x7F) != ControlSetup.CLASS_INTERFACE_OUT || request == null) {
            violation(ProtocolViolation.Kind.BAD_SETUP, request, "not a DFU class request to the interface: " + setup);
            throw new Stall("unsupported request");
        }
        if (setup.wIndex() != 0) {
            violation(ProtocolViolation.Kind.BAD_SETUP, request,
                    "wIndex " + setup.wIndex() + " names no interface (the DFU interface is 0)");
            throw new Stall("no such interface");
        }
        // A ROM that holds an early GETSTATUS answers it when the operation is done: no harm done.
        boolean held = request == DfuRequest.GETSTATUS && timing.early() == EarlyStatus.HELD;
        if (state == DfuState.DFU_DNBUSY && clock.nanoTime() < busy.pollDeadline && !held) {
            violation(ProtocolViolation.Kind.POLLED_TOO_EARLY, request, String.format(
                    "%s %.3f ms before bwPollTimeout elapsed", request,
                    (busy.pollDeadline - clock.nanoTime()) / 1e6));
        }
        settleBusy();
        if (in != request.isDeviceToHost() || setup.bmRequestType() != request.bmRequestType()) {
            badSetup(request, String.format("bmRequestType 0x%02x, want 0x%02x for %s", setup.bmRequestType(),
                    request.bmRequestType(), request));
        }
        return switch (request) {
            case GETSTATUS -> {
                requireSetup(request, setup, 0, DfuRequest.STATUS_LENGTH);
                yield getStatus(setup);
            }
            case GETSTATE -> {
                requireSetup(request, setup, 0, DfuRequest.STATE_LENGTH);
                requireState(request, state != DfuState.DFU_DNBUSY && state != DfuState.DFU_MANIFEST);
                yield new byte[] {(byte) state.code()};
            }
            case CLRSTATUS -> {
                requireSetup(request, setup, 0, 0);
                if (state != DfuState.DFU_ERROR) {
                    clearStatusOutsideError();
                } else {
                    state = DfuState.DFU_IDLE;
                    status = DfuStatusCode.OK;
                }
                yield new byte[0];
            }
            case ABORT -> {
                requireSetup(request, setup, 0, 0);
                requireState(request, state == DfuState.DFU_IDLE || state == DfuState.DFU_DNLOAD_IDLE
                        || state == DfuState.DFU_UPLOAD_IDLE);
                state = DfuState.DFU_IDLE;
                status = DfuStatusCode.OK;
                pendingDownload = null;
                yield new byte[0];
            }
            case DETACH -> {
                if (setup.wLength() != 0) {
                    badSetup(request, "DFU_DETACH carries no data (wLength " + setup.wLength() + ")");
                }
                requireState(request, state == DfuState.DFU_IDLE || state == DfuState.DFU_DNLOAD_IDLE
                        || state == DfuState.DFU_UPLOAD_IDLE);
                // bmAttributes says "will detach": the ROM restarts its USB device and enumerates again.
                board.disconnect(DisconnectReason.DETACH, true, clock.nanoTime());
                yield new byte[0];
            }
            case DNLOAD -> download(setup, data);
            case UPLOAD -> upload(setup);
        };
    }

    private void requireSetup(DfuRequest request, ControlSetup setup, int wValue, int wLength) {
        if (setup.wValue() != wValue || setup.wLength() != wLength) {
            badSetup(request, String.format("%s wants wValue=%d wLength=%d, got wValue=%d wLength=%d", request,
                    wValue, wLength, setup.wValue(), setup.wLength()));
        }
    }

    private void badSetup(DfuRequest request, String message) {
        violation(ProtocolViolation.Kind.BAD_SETUP, request, message);
        enterError(DfuStatusCode.ERR_STALLEDPKT);
        throw new Stall(message);
    }

    private void requireState(DfuRequest request, boolean allowed) {
        if (!allowed) {
            violation(ProtocolViolation.Kind.REQUEST_IN_FORBIDDEN_STATE, request,
                    request + " is not allowed in " + state);
            enterError(DfuStatusCode.ERR_STALLEDPKT);
            throw new Stall(request + " in " + state);
        }
    }

    /**
     * CLRSTATUS in a state other than dfuERROR, which DFU 1.1 forbids: ST's device code enters
     * dfuERROR with errUNKNOWN (from which the next CLRSTATUS reaches dfuIDLE), newer ROMs stall it.
     * On a wedged ROM it is the way out, so only elsewhere is it a violation.
     */
    private void clearStatusOutsideError() {
        if (busy == null || !busy.wedged) {
            violation(ProtocolViolation.Kind.REQUEST_IN_FORBIDDEN_STATE, DfuRequest.CLRSTATUS,
                    "CLRSTATUS is not allowed in " + state);
        }
        if (clearStatusOutsideError == ClearStatusOutsideError.STALLS) {
            enterError(DfuStatusCode.ERR_STALLEDPKT);
            throw new Stall("CLRSTATUS in " + state);
        }
        enterError(DfuStatusCode.ERR_UNKNOWN);
    }

    private void enterError(DfuStatusCode code) {
        state = DfuState.DFU_ERROR;
        status = code;
        pendingDownload = null;
        busy = null;
        completedOutcome = null;
    }

    private void violation(ProtocolViolation.Kind kind, DfuRequest request, String message) {
        violations.add(new ProtocolViolation(kind, request, state, message, clock.nanoTime()));
    }

    /** dfuDNBUSY becomes dfuDNLOAD-SYNC once the operation has run its time (DFU 1.1 A.2.5). */
    private void settleBusy() {
        if (state == DfuState.DFU_DNBUSY && clock.nanoTime() >= busy.until) {
            completedOutcome = busy.outcome;
            busy = null;
            state = DfuState.DFU_DNLOAD_SYNC;
        }
    }

    // ---------------------------------------------------------------- GETSTATUS

    private byte[] getStatus(ControlSetup setup) {
        switch (state) {
            case DFU_DNLOAD_SYNC -> {
                if (completedOutcome != null) {
                    DfuStatusCode outcome = completedOutcome;
                    completedOutcome = null;
                    if (outcome == DfuStatusCode.OK) {
                        state = DfuState.DFU_DNLOAD_IDLE;
                        status = DfuStatusCode.OK;
                    } else {
                        enterError(outcome);
                    }
                    return answer(0);
                }
                return execute(setup);
            }
            case DFU_DNBUSY -> {
                if (busy.wedged) {
                    return busyAnswer(busy.firstReported);
                }
                if (timing.early() == EarlyStatus.HELD) {
                    throw new Hold(busy.until);
                }
                if (timing.early() == EarlyStatus.STALLS_WHILE_ERASING && busy.erase && busy.stallsLeft > 0) {
                    busy.stallsLeft--;
                    throw new Stall("GETSTATUS stalled while the flash is being erased");
                }
                Duration remaining = Duration.ofNanos(busy.until - clock.nanoTime());
                return busyAnswer(timing.timeouts().reported(busy.block, remaining));
            }
            case DFU_MANIFEST_SYNC -> {
                state = DfuState.DFU_MANIFEST;
                byte[] answer = answer(1); // ST's DFU code reports 1 ms, then resets before it could be polled
                long now = clock.nanoTime();
                board.leftDfuMode(rom.applicationJump(now), now);
                return answer;
            }
            default -> {
                return answer(0);
            }
        }
    }

    private byte[] answer(int pollMillis) {
        return new DfuStatus(status, pollMillis, state, 0).encode();
    }

    private byte[] busyAnswer(Duration reported) {
        int millis = TimingModel.pollTimeoutMillis(reported);
        busy.pollDeadline = clock.nanoTime() + millis * 1_000_000L;
        return new DfuStatus(DfuStatusCode.OK, millis, DfuState.DFU_DNBUSY, 0).encode();
    }

    /** Executes the pending DNLOAD (AN3156: "effectively executed only when a DFU_GETSTATUS request is issued"). */
    private byte[] execute(ControlSetup setup) {
        Download d = pendingDownload;
        pendingDownload = null;
        boolean block = d.blockNum() != 0;
        RomCommandExecutor.Outcome outcome = block ? writeBlock(d, setup) : command(d.data());
        long now = clock.nanoTime();
        Duration reported = timing.timeouts().reported(block, outcome.time());
        boolean wedged = wedges(d, outcome);
        busy = new RunningOperation(outcome.status(), wedged ? Long.MAX_VALUE : now + outcome.time().toNanos(), outcome.erase(),
                block, wedged, reported, options.stallsWhileBusy());
        state = DfuState.DFU_DNBUSY;
        status = DfuStatusCode.OK;
        byte[] answer = busyAnswer(reported);
        if (outcome.resetAfter() != null && outcome.status() == DfuStatusCode.OK) {
            // Read Unprotect and option-byte writes end in a system reset: the ROM answers this
            // GETSTATUS, then drops off the bus and enumerates again when the operation is done.
            board.disconnect(outcome.resetAfter(), true, now + outcome.time().toNanos());
        }
        return answer;
    }

    /** Whether this download is a sector erase the family's wedge (when enabled) catches. */
    private boolean wedges(Download d, RomCommandExecutor.Outcome outcome) {
        return wedge != null && outcome.status() == DfuStatusCode.OK && d.blockNum() == 0
                && d.data().length == DfuSeCommand.LENGTH_WITH_ADDRESS
                && (d.data()[0] & 0xFF) == DfuSeCommand.ERASE.code()
                && DfuSeCommand.address(d.data()) >= wedge.fromAddress();
    }

    private RomCommandExecutor.Outcome command(byte[] data) {
        int code = data[0] & 0xFF;
        Optional<DfuSeCommand> command = DfuSeCommand.fromCode(code).filter(c -> c.acceptsLength(data.length));
        if (command.isEmpty()) {
            violation(ProtocolViolation.Kind.UNKNOWN_COMMAND, DfuRequest.DNLOAD, String.format(
                    "DfuSe command 0x%02x with %d bytes is not one the ROM knows (0x21/5, 0x41/1 or 5, 0x92/1)",
                    code, data.length));
            enterError(DfuStatusCode.ERR_STALLEDPKT);
            throw new Stall("unknown DfuSe command");
        }
        return rom.command(command.get(), data);
    }

    private RomCommandExecutor.Outcome writeBlock(Download d, ControlSetup setup) {
        RomCommandExecutor.Outcome outcome;
        try {
            outcome = rom.writeBlock(d.blockNum(), d.data());
        } catch (RomCommandExecutor.CablePulled pulled) {
            board.disconnect(DisconnectReason.INJECTED, pulled.fault.reenumerate(), clock.nanoTime());
            throw new DeviceGoneException(String.format("device disconnected while writing 0x%08x (injected)",
                    pulled.fault.address()), setup);
        }
        if (outcome.wroteUnerasedFlash()) {
            violation(ProtocolViolation.Kind.WRITE_TO_UNERASED_FLASH, DfuRequest.DNLOAD, String.format(
                    "programming %d-byte unit at 0x%08x that is not erased", profile.programUnit(),
                    outcome.unerasedUnit()));
        }
        return outcome;
    }

    // ---------------------------------------------------------------- DNLOAD / UPLOAD

    private byte[] download(ControlSetup setup, byte[] data) {
        requireState(DfuRequest.DNLOAD, state == DfuState.DFU_IDLE || state == DfuState.DFU_DNLOAD_IDLE);
        if (setup.wLength() > profile.transferSize()) {
            tooLarge(DfuRequest.DNLOAD, setup);
        }
        if (setup.wLength() == 0) {
            state = DfuState.DFU_MANIFEST_SYNC;
            return new byte[0];
        }
        if (setup.wValue() == 1) {
            badSetup(DfuRequest.DNLOAD, "wBlockNum 1 is neither a command (0) nor a write (>1)");
        }
        pendingDownload = new Download(setup.wValue(), data.clone());
        state = DfuState.DFU_DNLOAD_SYNC;
        return new byte[0];
    }

    private void tooLarge(DfuRequest request, ControlSetup setup) {
        violation(ProtocolViolation.Kind.TRANSFER_TOO_LARGE, request,
                "wLength " + setup.wLength() + " exceeds wTransferSize " + profile.transferSize());
        enterError(DfuStatusCode.ERR_STALLEDPKT);
        throw new Stall("transfer too large");
    }

    private byte[] upload(ControlSetup setup) {
        requireState(DfuRequest.UPLOAD, state == DfuState.DFU_IDLE || state == DfuState.DFU_UPLOAD_IDLE);
        int length = setup.wLength();
        if (length > profile.transferSize()) {
            tooLarge(DfuRequest.UPLOAD, setup);
        }
        if (length == 0) {
            badSetup(DfuRequest.UPLOAD, "DFU_UPLOAD with wLength 0");
        }
        if (setup.wValue() == 0) {
            byte[] commands = rom.supportedCommands();
            // ST's device library: a complete command list leaves the device idle, a partial one in upload-idle.
            state = length >= commands.length ? DfuState.DFU_IDLE : DfuState.DFU_UPLOAD_IDLE;
            return Arrays.copyOf(commands, Math.min(length, commands.length));
        }
        if (setup.wValue() == 1) {
            badSetup(DfuRequest.UPLOAD, "wBlockNum 1 is not a valid UPLOAD command");
        }
        byte[] out;
        try {
            out = rom.readBlock(setup.wValue(), length);
        } catch (RomCommandExecutor.ReadRefused refused) {
            enterError(refused.status);
            throw new Stall(refused.getMessage());
        }
        state = DfuState.DFU_UPLOAD_IDLE;
        return out;
    }
}
