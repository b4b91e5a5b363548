package com.flashline.flashing;

import com.flashline.dfu.DfuSeDevice;
import com.flashline.dfu.LeaveOutcome;
import com.flashline.dfu.PollPolicy;
import com.flashline.dfu.Sector;
import com.flashline.error.FailureCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What one run of the {@link FlashPipeline} has been asked, has learnt and has done so far: the
 * phase it is in, the chip, the state of its flash, the bytes moved and the phases' timings. One
 * board, one thread; the phase steps read and extend it in order.
 */
final class FlashRun {

    private final FlashRequest request;
    private final Board board;
    private final FlashListener listener;
    private final BooleanSupplier cancelled;
    /** The image as program units: what VERIFY reads back. */
    private final WritePlan plan;
    /** What WRITE sends: {@link #plan} without the sectors that already hold their part of the image. */
    private WritePlan toWrite;
    /** Flash sectors whose bytes outside the image are known to be 0xFF (erased, found blank, or found equal). */
    private final Set<Long> preparedSectors = new HashSet<>();
    private final List<PhaseTiming> timings = new ArrayList<>();

    private Phase phase = Phase.CONNECT;
    private ChipCatalog.ChipFamily family;
    private DeviceIdentity identity;
    private PollPolicy pollPolicy;
    private boolean readProtected;
    /** The whole flash is known to be erased (after Read Unprotect or a mass erase). */
    private boolean flashBlank;
    private long bytesErased;
    private long bytesWritten;
    private long bytesVerified;
    private SerialRecord serial;
    private LeaveOutcome leaveOutcome;

    FlashRun(FlashRequest request, Board board, WritePlan plan, FlashListener listener, BooleanSupplier cancelled) {
        this.request = request;
        this.board = board;
        this.plan = plan;
        this.toWrite = plan;
        this.listener = listener;
        this.cancelled = cancelled;
    }

    FlashRequest request() {
        return request;
    }

    Board board() {
        return board;
    }

    /** The DFU engine on the board's current enumeration. */
    DfuSeDevice device() {
        return board.device();
    }

    FlashListener listener() {
        return listener;
    }

    /** Polled by the engine between blocks, and by the steps between sectors and phases. */
    BooleanSupplier cancelled() {
        return cancelled;
    }

    // ------------------------------------------------------------ phases

    Phase phase() {
        return phase;
    }

    /** Enters {@code next} unless the run was cancelled, and tells the listener. */
    void enter(Phase next) {
        phase = next;
        checkCancelled();
        listener.phaseStarted(next);
    }

    void finished(Phase done, Duration took) {
        timings.add(new PhaseTiming(done, took));
        listener.phaseFinished(done, took);
    }

    void checkCancelled() {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw fail(FailureCode.CANCELLED, "cancelled before " + phase);
        }
    }

    /** A failure of the current phase that trying again would not mend. */
    FlashFailure fail(FailureCode code, String message) {
        return fail(code, message, null);
    }

    FlashFailure fail(FailureCode code, String message, Throwable cause) {
        return new FlashFailure(phase, code, message, null, false, cause);
    }

    // ------------------------------------------------------------ the chip

    ChipCatalog.ChipFamily family() {
        return family;
    }

    DeviceIdentity identity() {
        return identity;
    }

    void identified(ChipCatalog.ChipFamily family, DeviceIdentity identity, boolean readProtected) {
        this.family = family;
        this.readProtected = readProtected;
        identified(identity);
    }

    void identified(DeviceIdentity identity) {
        this.identity = identity;
        listener.identified(identity);
    }

    /** The engine on this board polls with {@code policy}. */
    void polledWith(PollPolicy policy) {
        this.pollPolicy = policy;
        listener.pollPolicy(policy);
    }

    boolean readProtected() {
        return readProtected;
    }

    /** Read Unprotect mass-erased the flash (AN3156 section 3). */
    void unprotected() {
        readProtected = false;
        flashBlank = true;
    }

    // ------------------------------------------------------------ the flash

    WritePlan plan() {
        return plan;
    }

    WritePlan toWrite() {
        return toWrite;
    }

    boolean flashBlank() {
        return flashBlank;
    }

    void massErased(long bytes) {
        erased(bytes);
        flashBlank = true;
    }

    /** ERASE is done: the touched sectors are prepared, and those already holding their part need no write. */
    void erasePlanned(List<Sector> touched, List<Sector> unchanged) {
        touched.forEach(s -> preparedSectors.add(s.start()));
        toWrite = plan.without(unchanged);
    }

    /** @return whether the sector still needed preparing (it is marked prepared from now on) */
    boolean prepare(Sector sector) {
        return preparedSectors.add(sector.start());
    }

    void erased(long bytes) {
        bytesErased += bytes;
    }

    void written(long bytes) {
        bytesWritten += bytes;
    }

    void verified(long bytes) {
        bytesVerified += bytes;
    }

    void serialWritten(SerialRecord record) {
        serial = record;
    }

    void left(LeaveOutcome outcome) {
        leaveOutcome = outcome;
    }

    FlashReport report() {
        return new FlashReport(identity, serial, bytesErased, bytesWritten, bytesVerified, timings,
                board.statistics(), leaveOutcome, pollPolicy == null ? null : pollPolicy.name());
    }
}
