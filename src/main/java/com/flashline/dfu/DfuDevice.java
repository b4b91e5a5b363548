package com.flashline.dfu;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The DFU 1.1 host side of one device over one {@link DfuTransport}: the class requests with their
 * exact SETUP packets, GETSTATUS polling after a DNLOAD, recovery to a state that accepts the next
 * request, and the switch between alternate settings. {@link DfuSeDevice} builds ST's DfuSe commands
 * and memory transfers on top of it, as dfu-util's {@code dfuse.c} builds on {@code dfu.c}.
 *
 * <p>The engine remembers the state the device reported last (or the state a request moves it to)
 * and only asks again when it does not know, so a long write costs one DNLOAD and the GETSTATUS
 * polls per block and nothing more. Before every DNLOAD it makes sure the device is in dfuIDLE or
 * dfuDNLOAD-IDLE, before every UPLOAD in dfuIDLE or dfuUPLOAD-IDLE (AN3156 sections 4.2 and 5),
 * recovering with CLRSTATUS / ABORT when needed. While a command executes it polls as the device's
 * {@link PollPolicy} says, chosen when the engine is built ({@link DfuOptions#pollPolicies()}): never
 * before the bwPollTimeout of the previous answer, measured on the {@link DfuClock} (DFU 1.1, and
 * any ROM the table does not know), or right after the busy answer for a ROM that holds that
 * GETSTATUS until its operation ends.
 *
 * <p>Not thread-safe: one job drives one device from one thread. The statistics may be read from
 * any thread.
 */
public sealed class DfuDevice permits DfuSeDevice {

    /** CLRSTATUS requests tried on a wedged ROM: two are needed, a third covers a stalled first one. */
    private static final int WEDGE_CLEARS = 3;

    private final DfuTransport transport;
    private final DfuClock clock;
    private final DfuOptions options;
    private final List<DfuAltSetting> altSettings;
    private final int interfaceNumber;
    private final int transferSize;
    private final TransferStatistics statistics = new TransferStatistics();
    /** Two GETSTATUS per written block: one immutable SETUP for all of them. */
    private final ControlSetup getStatusSetup;
    private final PollPolicy pollPolicy;
    /**
     * Whether the next poll after a busy answer goes at once: the policy says the ROM holds it, and
     * no such poll has come back busy yet.
     */
    private boolean statusHeld;
    /** The last awaited operation ended in a wedge that CLRSTATUS cleared: its outcome is not known. */
    private boolean recoveredFromWedge;

    /** The state the device is in as far as we know, or null when we must ask. */
    private DfuState knownState;
    private DfuStatus lastStatus;
    /** Alt setting 0 is active after the interface is claimed (USB 2.0 section 9.6.5). */
    private int currentAlt;

    public DfuDevice(DfuTransport transport, DfuClock clock, DfuOptions options) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.altSettings = List.copyOf(transport.altSettings());
        this.interfaceNumber = altSettings.isEmpty() ? 0 : altSettings.get(0).interfaceNumber();
        this.transferSize = transport.functionalDescriptor().transferSize();
        this.currentAlt = altSettings.isEmpty() ? 0 : altSettings.get(0).alternateSetting();
        this.getStatusSetup = DfuRequest.GETSTATUS.setup(0, interfaceNumber, DfuRequest.STATUS_LENGTH);
        this.pollPolicy = Objects.requireNonNull(options.pollPolicies().select(transport.deviceInfo(), altSettings),
                "poll policy");
        this.statusHeld = pollPolicy.earlyPoll() == PollPolicy.EarlyPoll.AT_ONCE;
    }

    public DfuDevice(DfuTransport transport) {
        this(transport, DfuClock.SYSTEM, DfuOptions.DEFAULTS);
    }

    public DfuTransport transport() {
        return transport;
    }

    public DfuOptions options() {
        return options;
    }

    public TransferStatistics statistics() {
        return statistics;
    }

    /** How this device's operations are polled. */
    public PollPolicy pollPolicy() {
        return pollPolicy;
    }

    /** wTransferSize from the functional descriptor: the largest block of one DNLOAD or UPLOAD. */
    public int transferSize() {
        return transferSize;
    }

    public int interfaceNumber() {
        return interfaceNumber;
    }

    /** The state the engine believes the device is in, empty when it would have to ask. */
    public Optional<DfuState> knownState() {
        return Optional.ofNullable(knownState);
    }

    /** The last GETSTATUS answer, empty before the first one. */
    public Optional<DfuStatus> lastStatus() {
        return Optional.ofNullable(lastStatus);
    }

    // ---------------------------------------------------------------- raw DFU requests

    /** DFU_GETSTATUS with the ordinary transfer timeout. */
    public DfuStatus getStatus() {
        return getStatus(options.transferTimeout());
    }

    /** DFU_GETSTATE. */
    public DfuState getState() {
        byte[] answer = in(DfuRequest.GETSTATE, 0, DfuRequest.STATE_LENGTH, options.transferTimeout());
        if (answer.length != DfuRequest.STATE_LENGTH) {
            knownState = null;
            throw new DfuProtocolException("GETSTATE answer must be 1 byte, got " + answer.length);
        }
        try {
            knownState = DfuState.fromCode(answer[0] & 0xFF);
        } catch (DfuProtocolException e) {
            knownState = null;
            throw e;
        }
        return knownState;
    }

    /** DFU_CLRSTATUS: dfuERROR to dfuIDLE. */
    public void clearStatus() {
        out(DfuRequest.CLRSTATUS, 0, new byte[0]);
        knownState = DfuState.DFU_IDLE;
    }

    /** DFU_ABORT: dfuDNLOAD-IDLE / dfuUPLOAD-IDLE (and dfuIDLE) to dfuIDLE. */
    public void abort() {
        out(DfuRequest.ABORT, 0, new byte[0]);
        knownState = DfuState.DFU_IDLE;
    }

    /** DFU_DNLOAD of one block (wValue 0: a DfuSe command; 2 and above: data). Does not poll. */
    public void download(int blockNumber, byte[] data) {
        Objects.requireNonNull(data, "data");
        out(DfuRequest.DNLOAD, blockNumber, data);
        statistics.addBytesDown(data.length);
        knownState = data.length == 0 ? DfuState.DFU_MANIFEST_SYNC : DfuState.DFU_DNLOAD_SYNC;
    }

    /** DFU_UPLOAD of one block (wValue 0: Get command; 2 and above: read memory). */
    public byte[] upload(int blockNumber, int length) {
        byte[] data = in(DfuRequest.UPLOAD, blockNumber, length, options.transferTimeout());
        statistics.addBytesUp(data.length);
        // A short frame ends an upload in DFU 1.1 (back to dfuIDLE) but ROMs differ: ask next time.
        knownState = data.length == length ? DfuState.DFU_UPLOAD_IDLE : null;
        return data;
    }

    // ---------------------------------------------------------------- polling and recovery

    /**
     * Polls GETSTATUS after a DNLOAD until the operation has finished. The first GETSTATUS executes
     * the DNLOAD; after each busy answer the next one goes as the {@link PollPolicy} says: after that
     * answer's bwPollTimeout (from the moment it arrived; never sooner than {@code minPollInterval}),
     * or at once to a ROM that holds it until the operation ends, with a transfer timeout that covers
     * the ROM's longest operation. A stalled GETSTATUS counts as "still busy" a bounded number of
     * times, each followed by a longer back-off. A sector erase the policy takes for wedged (busy
     * beyond {@link PollPolicy#wedgedAfter()}) is cleared with CLRSTATUS; its outcome is then unknown,
     * which {@link #recoveredFromWedge()} tells the caller.
     *
     * @return the final status: dfuDNLOAD-IDLE (or dfuIDLE) for commands and data, dfuMANIFEST or
     *         dfuMANIFEST-WAIT-RESET after a zero-length DNLOAD
     * @throws DfuStatusException  the device reported an error
     * @throws DfuTimeoutException the operation did not finish within its overall timeout
     */
    public DfuStatus awaitCompletion(DfuOperation operation) {
        return awaitCompletion(operation, operation::description);
    }

    /** {@code what} names the operation in a failure; it is asked only when something fails. */
    DfuStatus awaitCompletion(DfuOperation operation, Supplier<String> what) {
        Duration overall = options.operationTimeout(operation);
        long started = clock.nanoTime();
        long deadline = started + overall.toNanos();
        long wedgedAt = operation == DfuOperation.ERASE_SECTOR && pollPolicy.wedgedAfter() != null
                ? started + pollPolicy.wedgedAfter().toNanos() : Long.MAX_VALUE;
        recoveredFromWedge = false;
        int lastPollMillis = 0;
        int stalls = 0;
        boolean executed = false;
        long earliestPoll = started;
        while (true) {
            waitUntil(earliestPoll);
            DfuStatus status;
            try {
                status = getStatus(options.statusTimeout(operation, lastPollMillis, pollPolicy));
            } catch (StallException stall) {
                if (++stalls > options.maxBusyStalls()) {
                    throw stall;
                }
                long now = clock.nanoTime();
                long backoff = Math.max(Duration.ofMillis(lastPollMillis).toNanos(),
                        options.stallBackoff(stalls).toNanos());
                if (now + backoff > deadline) {
                    throw new DfuTimeoutException(what.get() + " did not finish within " + overall
                            + " (GETSTATUS stalled " + stalls + " times)", DfuRequest.DNLOAD, lastStatus);
                }
                earliestPoll = now + backoff;
                continue;
            }
            long answeredAt = clock.nanoTime();
            if (status.isError()) {
                throw new DfuStatusException(what.get() + " failed", DfuRequest.DNLOAD, status);
            }
            switch (status.state()) {
                case DFU_DNLOAD_IDLE, DFU_IDLE, DFU_MANIFEST, DFU_MANIFEST_WAIT_RESET -> {
                    return status;
                }
                case DFU_DNBUSY, DFU_DNLOAD_SYNC, DFU_MANIFEST_SYNC -> {
                    if (executed && statusHeld) {
                        // An at-once poll was answered busy: this ROM does not hold it after all.
                        statusHeld = false;
                    }
                    executed = true;
                    lastPollMillis = status.pollTimeoutMillis();
                    long wait = statusHeld ? 0 : Math.max(Duration.ofMillis(lastPollMillis).toNanos(),
                            options.minPollInterval().toNanos());
                    earliestPoll = answeredAt + wait;
                    if (earliestPoll >= wedgedAt) {
                        // Busy for longer than a healthy erase takes: the ROM is stuck. The next
                        // request still waits this answer's bwPollTimeout.
                        waitUntil(earliestPoll);
                        return recoverFromWedge(what);
                    }
                    if (earliestPoll > deadline) {
                        throw new DfuTimeoutException(what.get() + " did not finish within " + overall,
                                DfuRequest.DNLOAD, status);
                    }
                }
                default -> throw new DfuProtocolException(what.get() + ": unexpected state " + status.state()
                        + " while awaiting completion", DfuRequest.DNLOAD, status.status(), status.state());
            }
        }
    }

    /** Whether the last awaited operation ended in a wedge that CLRSTATUS cleared (its outcome is unknown). */
    public boolean recoveredFromWedge() {
        return recoveredFromWedge;
    }

    /**
     * Brings a ROM stuck in dfuDNBUSY back to dfuIDLE. ST's device library answers a CLRSTATUS outside
     * dfuERROR by entering dfuERROR with errUNKNOWN, and a second CLRSTATUS then reaches dfuIDLE (how
     * STM32CubeProgrammer gets an STM32H7 rev V out of a second-bank erase); a ROM that keeps to
     * DFU 1.1 stalls the first one instead, which leaves it in dfuERROR all the same. Each CLRSTATUS
     * is followed by a GETSTATUS that tells where the ROM is.
     */
    private DfuStatus recoverFromWedge(Supplier<String> what) {
        statistics.countWedgeRecovery();
        for (int attempt = 0; attempt < WEDGE_CLEARS; attempt++) {
            try {
                clearStatus();
            } catch (StallException refused) {
                // DFU 1.1: a stalled request leaves the device in dfuERROR, which the next CLRSTATUS clears.
            }
            DfuStatus status = getStatus();
            if (status.state() == DfuState.DFU_IDLE && !status.isError()) {
                recoveredFromWedge = true;
                return status;
            }
        }
        throw new DfuStateException(what.get() + " left the device in dfuDNBUSY and " + WEDGE_CLEARS
                + " CLRSTATUS did not bring it back", DfuRequest.CLRSTATUS, lastStatus);
    }

    /**
     * Brings the device into a state that accepts the next request (AN3156 sections 4.2 and 5):
     * dfuERROR is cleared with CLRSTATUS, dfuDNLOAD-IDLE / dfuUPLOAD-IDLE left with ABORT, a busy
     * device waited for. Asks GETSTATUS only when the state is not known; a recovery from a state the
     * device reported is confirmed with another GETSTATUS, a transition from a state the engine
     * tracked itself (ABORT after its own reads) is trusted.
     *
     * @throws DfuStateException when the device is not there after the configured recovery tries
     *                           or is in a state it only leaves by a reset (dfuMANIFEST...)
     */
    public void ensureIdle(IdleFor purpose) {
        int tries = 0;
        while (true) {
            DfuState state = knownState;
            boolean observed = false;
            boolean errorReported = false;
            if (state == null) {
                observed = true;
                try {
                    DfuStatus status = getStatus();
                    state = status.state();
                    errorReported = status.isError();
                } catch (StallException stall) {
                    // A stalled request leaves a DFU 1.1 device in dfuERROR.
                    state = DfuState.DFU_ERROR;
                }
            }
            if (purpose.accepts(state) && !errorReported) {
                return;
            }
            if (tries >= options.maxRecoveryTries()) {
                throw new DfuStateException("device did not reach " + purpose.acceptedStates() + " after " + tries
                        + " recovery tries", null, lastStatus);
            }
            tries++;
            try {
                switch (state) {
                    case DFU_ERROR -> clearStatus();
                    case DFU_IDLE, DFU_DNLOAD_IDLE, DFU_UPLOAD_IDLE -> {
                        if (errorReported) {
                            clearStatus();
                        } else {
                            abort();
                        }
                    }
                    case DFU_DNLOAD_SYNC, DFU_DNBUSY, DFU_MANIFEST_SYNC -> {
                        // A ROM that holds the next GETSTATUS answers it when it is done.
                        if (!statusHeld) {
                            int poll = lastStatus == null ? 0 : lastStatus.pollTimeoutMillis();
                            sleep(Duration.ofNanos(Math.max(Duration.ofMillis(poll).toNanos(),
                                    options.minPollInterval().toNanos())));
                        }
                        knownState = null;
                    }
                    case DFU_MANIFEST, DFU_MANIFEST_WAIT_RESET, APP_IDLE, APP_DETACH ->
                        throw new DfuStateException("device is in " + state
                                + " and only leaves it by a reset", null, lastStatus);
                }
            } catch (StallException stall) {
                knownState = null;
                continue;
            }
            if (observed) {
                knownState = null;
            }
        }
    }

    // ---------------------------------------------------------------- alt settings

    public List<DfuAltSetting> altSettings() {
        return altSettings;
    }

    public int currentAltSetting() {
        return currentAlt;
    }

    /** Selects an alt setting (SET_INTERFACE) unless it is already the current one. */
    public void selectAltSetting(int alternateSetting) {
        altSetting(alternateSetting);
        if (alternateSetting == currentAlt) {
            return;
        }
        // DFU 1.1 lets the host change alternate settings only in dfuIDLE: leave a download or
        // upload run (ABORT) or an error (CLRSTATUS) first.
        ensureIdle(IdleFor.IDLE);
        transport.selectAltSetting(alternateSetting);
        statistics.countAltSwitch();
        currentAlt = alternateSetting;
        knownState = null;
    }

    DfuAltSetting altSetting(int alternateSetting) {
        return altSettings.stream().filter(a -> a.alternateSetting() == alternateSetting).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no alt setting " + alternateSetting + "; the device has "
                        + altSettings.stream().map(DfuAltSetting::alternateSetting).toList()));
    }

    // ---------------------------------------------------------------- for the DfuSe layer

    /** After a request whose end state the device decides (a reset, a leave): ask next time. */
    void forgetState() {
        knownState = null;
    }

    /** DNLOAD; when the device stalls it, GETSTATUS tells why (e.g. errVENDOR under read protection). */
    void downloadExplained(int blockNumber, byte[] data, Supplier<String> what) {
        try {
            download(blockNumber, data);
        } catch (StallException stall) {
            throw explainStall(stall, DfuRequest.DNLOAD, what);
        }
    }

    byte[] uploadExplained(int blockNumber, int length, Supplier<String> what) {
        try {
            return upload(blockNumber, length);
        } catch (StallException stall) {
            throw explainStall(stall, DfuRequest.UPLOAD, what);
        }
    }

    // ---------------------------------------------------------------- internals

    private DfuException explainStall(StallException stall, DfuRequest request, Supplier<String> what) {
        DfuStatus status;
        try {
            status = getStatus();
        } catch (DfuException e) {
            stall.addSuppressed(e);
            return stall;
        }
        if (status.isError()) {
            DfuStatusException reported = new DfuStatusException(what.get() + " was stalled", request, status);
            reported.addSuppressed(stall);
            return reported;
        }
        return stall;
    }

    private DfuStatus getStatus(Duration timeout) {
        byte[] answer = in(DfuRequest.GETSTATUS, 0, DfuRequest.STATUS_LENGTH, timeout);
        DfuStatus status;
        try {
            status = DfuStatus.decode(answer);
        } catch (DfuProtocolException e) {
            knownState = null;
            throw e;
        }
        lastStatus = status;
        knownState = status.state();
        return status;
    }

    private void out(DfuRequest request, int wValue, byte[] data) {
        ControlSetup setup = request.setup(wValue, interfaceNumber, data.length);
        statistics.countTransfer(request);
        try {
            transport.controlOut(setup, data, options.transferTimeout());
        } catch (RuntimeException e) {
            knownState = null;
            throw e;
        }
    }

    private byte[] in(DfuRequest request, int wValue, int length, Duration timeout) {
        ControlSetup setup = request == DfuRequest.GETSTATUS && wValue == 0 && length == DfuRequest.STATUS_LENGTH
                ? getStatusSetup : request.setup(wValue, interfaceNumber, length);
        statistics.countTransfer(request);
        byte[] data;
        try {
            data = transport.controlIn(setup, timeout);
        } catch (RuntimeException e) {
            knownState = null;
            throw e;
        }
        if (data == null || data.length > length) {
            knownState = null;
            throw new DfuProtocolException(request + " answered " + (data == null ? "nothing" : data.length + " bytes")
                    + " to a request for " + length);
        }
        return data;
    }

    private void waitUntil(long nanoTime) {
        long remaining = nanoTime - clock.nanoTime();
        if (remaining > 0) {
            sleep(Duration.ofNanos(remaining));
        }
    }

    private void sleep(Duration duration) {
        try {
            clock.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DfuCancelledException("interrupted while waiting for the device", e);
        }
    }
}
