package com.flashline.sim;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuSeCommand;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.Sector;
import com.flashline.dfu.StallException;
import com.flashline.dfu.TransferTimeoutException;
import com.flashline.dfu.TransportIoException;
import com.flashline.dfu.UsbDeviceInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * One simulated STM32 board in its ROM bootloader, speaking USB DFU 1.1 with ST's DfuSe extension as
 * AN3156 describes it. Hand {@link #connect()}'s transport to the host engine exactly as a real
 * device's.
 *
 * <p>Thread-safe: one host thread may drive a transport while a test thread unplugs the board,
 * inspects memory, injects faults or reads the violation log. Every wait (operation time, transfer
 * time, held GETSTATUS, enumeration) goes through the board's {@link DfuClock}, so a
 * {@link com.flashline.dfu.VirtualClock} makes datasheet timing instant in tests while early
 * polling is still detected.
 */
public final class SimulatedStm32 {

    /** Removal and arrival notices, e.g. for a simulated fixture's device watcher. Called without the board's lock held. */
    public interface Listener {
        default void disconnected(DisconnectReason reason) {
        }

        default void reenumerated() {
        }
    }

    /** Where the board is. */
    public enum Presence {
        /** On the bus in the system bootloader (possibly still enumerating after a reset). */
        BOOTLOADER,
        /** Running the application after Leave DFU mode; not on the bus as a DFU device. */
        APPLICATION,
        /** Cable pulled. */
        UNPLUGGED
    }

    private static final int GET_DESCRIPTOR = 0x06;

    private final ChipProfile profile;
    private final SimOptions options;
    private final DfuClock clock;
    private final TimingModel timing;
    private final byte[] uid;
    private final String serialNumber;
    private final String portPath;
    private final FaultPlan faults;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    // Everything below is guarded by "this".
    private final SimMemory memory;
    private final BitSet writeProtected = new BitSet();
    private final List<ProtocolViolation> violations = new ArrayList<>();
    private final Map<DfuRequest, Long> requestCounts = new EnumMap<>(DfuRequest.class);
    private final List<Runnable> pendingNotices = new ArrayList<>();
    private Presence presence = Presence.BOOTLOADER;
    private long enumerationReadyAt;
    private int generation;
    private int enumerations = 1;
    private long controlTransfers;
    private Jump lastJump;

    private DfuState state = DfuState.DFU_IDLE;
    private DfuStatusCode status = DfuStatusCode.OK;
    private int altSetting;
    private long addressPointer;
    private long jumpAddress;
    private Download pendingDownload;
    private Busy busy;
    private DfuStatusCode completedOutcome;

    /** A DNLOAD received and not yet executed (executed by the next GETSTATUS). */
    private record Download(int blockNum, byte[] data) {
    }

    /** An operation running in dfuDNBUSY. */
    private static final class Busy {
        final DfuStatusCode outcome;
        final long until;
        final boolean erase;
        long pollDeadline;
        int stallsLeft;

        Busy(DfuStatusCode outcome, long until, boolean erase, int stallsLeft) {
            this.outcome = outcome;
            this.until = until;
            this.erase = erase;
            this.stallsLeft = stallsLeft;
        }
    }

    /** What executing a command produced: its status, how long it runs, whether it is an erase. */
    private record Outcome(DfuStatusCode status, Duration time, boolean erase, DisconnectReason resetAfter) {
        static Outcome ok(Duration time) {
            return new Outcome(DfuStatusCode.OK, time, false, null);
        }

        static Outcome error(DfuStatusCode status) {
            return new Outcome(status, Duration.ZERO, false, null);
        }
    }

    /** A request the device refuses with a STALL handshake. */
    private static final class Stall extends RuntimeException {
        Stall(String message) {
            super(message, null, false, false);
        }
    }

    /** The GETSTATUS must wait on the clock (HOLD timing) before it can be answered. */
    private static final class Hold extends RuntimeException {
        final long until;

        Hold(long until) {
            super(null, null, false, false);
            this.until = until;
        }
    }

    private SimulatedStm32(Builder b) {
        this.profile = b.profile;
        this.options = b.options;
        this.clock = b.clock;
        this.timing = new TimingModel(profile, options);
        this.uid = b.uid != null ? b.uid.clone() : uidFromSeed(b.seed);
        this.serialNumber = b.serialNumber != null ? b.serialNumber : profile.serialFor(uid);
        this.portPath = b.portPath;
        this.faults = b.faults;
        this.memory = new SimMemory(profile, uid);
        for (Map.Entry<Long, byte[]> e : b.preloads) {
            memory.store(e.getKey(), e.getValue());
        }
        for (long address : b.writeProtectedAddresses) {
            int index = memory.sectorIndex(address);
            if (index < 0) {
                throw new IllegalArgumentException(String.format("0x%08x is not in internal flash", address));
            }
            writeProtected.set(index);
        }
        if (b.readProtected) {
            setReadProtection(true);
        }
        this.addressPointer = profile.flash().base();
        this.jumpAddress = addressPointer;
    }

    public static Builder builder(ChipProfile profile) {
        return new Builder(profile);
    }

    /**
     * A realistic unique ID: word 0 holds wafer X/Y coordinates, word 1 the wafer number and three
     * lot characters, word 2 four more lot characters (RM0090 39.1 describes these fields).
     */
    static byte[] uidFromSeed(long seed) {
        Random random = new Random(seed);
        String alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        byte[] id = new byte[ChipProfile.UID_LENGTH];
        id[0] = (byte) random.nextInt(0x60);
        id[1] = 0;
        id[2] = (byte) random.nextInt(0x60);
        id[3] = 0;
        id[4] = (byte) (1 + random.nextInt(25));
        for (int i = 5; i < 12; i++) {
            id[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return id;
    }

    // ---------------------------------------------------------------- board-level API

    public ChipProfile profile() {
        return profile;
    }

    public SimOptions options() {
        return options;
    }

    public TimingModel timing() {
        return timing;
    }

    public DfuClock clock() {
        return clock;
    }

    public byte[] uniqueId() {
        return uid.clone();
    }

    public String serialNumber() {
        return serialNumber;
    }

    /** The ROM's standard USB descriptors for this board (device, configuration, strings). */
    public RomDescriptors descriptors() {
        return new RomDescriptors(profile, serialNumber);
    }

    public FaultPlan faults() {
        return faults;
    }

    /** Adds a fault while the board runs. */
    public void inject(Fault fault) {
        faults.add(fault);
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * A transport for the current enumeration. Waits on the clock while the ROM is still busy after
     * a reset (e.g. the mass erase of Read Unprotect) before it enumerates.
     *
     * @throws DeviceGoneException when the board is unplugged or running its application
     */
    public DfuTransport connect() {
        long wait;
        int gen;
        synchronized (this) {
            if (presence != Presence.BOOTLOADER) {
                throw new DeviceGoneException("no STM32 bootloader on port " + portPath + " (board is "
                        + presence.name().toLowerCase() + ")", null);
            }
            wait = enumerationReadyAt - clock.nanoTime();
            gen = generation;
        }
        sleep(wait);
        synchronized (this) {
            if (presence != Presence.BOOTLOADER || gen != generation) {
                throw new DeviceGoneException("the board left the bus while enumerating", null);
            }
            return new SimTransport(gen);
        }
    }

    /** Pulls the cable: every transport of this board throws {@link DeviceGoneException} from now on. */
    public void unplug() {
        synchronized (this) {
            if (presence == Presence.UNPLUGGED) {
                return;
            }
            boolean wasOnBus = presence == Presence.BOOTLOADER;
            presence = Presence.UNPLUGGED;
            generation++;
            busy = null;
            if (wasOnBus) {
                notice(l -> l.disconnected(DisconnectReason.UNPLUGGED));
            }
        }
        deliverNotices();
    }

    /** Plugs the board in (BOOT0 high): it enumerates in the bootloader. No effect while already in it. */
    public void plugIn() {
        synchronized (this) {
            if (presence == Presence.BOOTLOADER) {
                return;
            }
            enterBootloader(clock.nanoTime());
        }
        deliverNotices();
    }

    public synchronized Presence presence() {
        return presence;
    }

    /** True when the board is on the bus in its bootloader and has finished enumerating. */
    public synchronized boolean inBootloader() {
        return presence == Presence.BOOTLOADER && clock.nanoTime() >= enumerationReadyAt;
    }

    /** Memory as it is, without protocol side effects (any area, including the ROM's RAM). */
    public synchronized byte[] memory(long address, int length) {
        return memory.read(address, length);
    }

    public synchronized boolean readProtected() {
        return isReadProtected();
    }

    public synchronized List<ProtocolViolation> violations() {
        return List.copyOf(violations);
    }

    public synchronized Optional<Jump> lastJump() {
        return Optional.ofNullable(lastJump);
    }

    /** Control transfers received since the board was built (each numbered from 1 for {@link FaultPlan}). */
    public synchronized long controlTransferCount() {
        return controlTransfers;
    }

    public synchronized Map<DfuRequest, Long> requestCounts() {
        return Map.copyOf(requestCounts);
    }

    public synchronized long requestCount(DfuRequest request) {
        return requestCounts.getOrDefault(request, 0L);
    }

    /** How often the board enumerated in its bootloader (1 after construction). */
    public synchronized int enumerationCount() {
        return enumerations;
    }

    /** The DFU state right now (for tests; a host must ask with GETSTATE/GETSTATUS). */
    public synchronized DfuState dfuState() {
        return state;
    }

    public synchronized long addressPointer() {
        return addressPointer;
    }

    @Override
    public String toString() {
        return "SimulatedStm32[" + profile + " " + serialNumber + " on " + portPath + "]";
    }

    // ---------------------------------------------------------------- lifecycle internals

    private void notice(java.util.function.Consumer<Listener> n) {
        pendingNotices.add(() -> listeners.forEach(n));
    }

    private void deliverNotices() {
        List<Runnable> todo;
        synchronized (this) {
            todo = List.copyOf(pendingNotices);
            pendingNotices.clear();
        }
        todo.forEach(Runnable::run);
    }

    private void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            clock.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportIoException("interrupted while the simulated device was busy", null, e);
        }
    }

    /** Drops off the bus; if {@code reset}, comes back in the bootloader once {@code readyAt} is reached. */
    private void disconnect(DisconnectReason reason, boolean reset, long readyAt) {
        generation++;
        busy = null;
        notice(l -> l.disconnected(reason));
        if (reset) {
            enterBootloader(readyAt);
        } else {
            presence = reason == DisconnectReason.LEAVE_TO_APPLICATION ? Presence.APPLICATION : Presence.UNPLUGGED;
        }
    }

    private void enterBootloader(long readyAt) {
        presence = Presence.BOOTLOADER;
        generation++;
        enumerations++;
        enumerationReadyAt = readyAt;
        state = DfuState.DFU_IDLE;
        status = DfuStatusCode.OK;
        altSetting = 0;
        addressPointer = profile.flash().base();
        jumpAddress = addressPointer;
        pendingDownload = null;
        busy = null;
        completedOutcome = null;
        notice(Listener::reenumerated);
    }

    private boolean isReadProtected() {
        ChipProfile.OptionBytesSpec ob = profile.optionBytes();
        int rdp = memory.read(ob.rdpAddress(), 1)[0] & 0xFF;
        return rdp != ob.rdpLevel0();
    }

    private void setReadProtection(boolean on) {
        ChipProfile.OptionBytesSpec ob = profile.optionBytes();
        int value = on ? (ob.rdpLevel0() == 0xA5 ? 0x00 : 0xBB) : ob.rdpLevel0();
        memory.store(ob.rdpAddress(), new byte[] {(byte) value});
    }

    // ---------------------------------------------------------------- control transfers

    private byte[] transfer(SimTransport t, ControlSetup setup, byte[] data, Duration timeout) {
        boolean in = data == null;
        sleep(timing.transferTime(in ? setup.wLength() : data.length).toNanos());
        long holdUntil;
        try {
            synchronized (this) {
                checkAlive(t, setup);
                controlTransfers++;
                long number = controlTransfers;
                DfuRequest request = DfuRequest.fromCode(setup.bRequest());
                if (request != null && (setup.bmRequestType() & 0x7F) == ControlSetup.CLASS_INTERFACE_OUT) {
                    requestCounts.merge(request, 1L, Long::sum);
                }
                Optional<Fault.DisconnectAtRequest> gone =
                        faults.take(Fault.DisconnectAtRequest.class, f -> f.requestNumber() == number);
                if (gone.isPresent()) {
                    disconnect(DisconnectReason.INJECTED, gone.get().reenumerate(), clock.nanoTime());
                    throw new DeviceGoneException("device disconnected (injected fault at request " + number + ")",
                            setup);
                }
                if (faults.take(Fault.StallRequest.class, f -> f.requestNumber() == number).isPresent()) {
                    throw new StallException("device stalled the request (injected fault at request " + number + ")",
                            setup);
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
                } catch (Hold h) {
                    holdUntil = h.until;
                }
            }
            return holdThenAnswer(t, setup, holdUntil, timeout);
        } finally {
            deliverNotices();
        }
    }

    /**
     * HOLD timing: the ROM does not answer the GETSTATUS until the operation is done. The wait runs
     * without the board's lock so that the board can be unplugged meanwhile; a wait longer than the
     * host's transfer timeout ends in a timeout, as libusb would report it (the device stays busy).
     */
    private byte[] holdThenAnswer(SimTransport t, ControlSetup setup, long until, Duration timeout) {
        long wait = until - clock.nanoTime();
        long limit = timeout == null || timeout.isZero() || timeout.isNegative() ? Long.MAX_VALUE : timeout.toNanos();
        boolean timesOut = wait > limit;
        sleep(timesOut ? limit : wait);
        synchronized (this) {
            checkAlive(t, setup);
            if (timesOut) {
                throw new TransferTimeoutException("GETSTATUS held by the device longer than the transfer timeout",
                        setup);
            }
            settleBusy();
            return getStatus(setup);
        }
    }

    private void checkAlive(SimTransport t, ControlSetup setup) {
        if (t.closed) {
            throw new TransportIoException("transport was closed", setup);
        }
        if (presence != Presence.BOOTLOADER || t.generation != generation) {
            throw new DeviceGoneException("device is gone from port " + portPath, setup);
        }
    }

    private byte[] dispatch(DfuRequest request, ControlSetup setup, byte[] data, boolean in) {
        if (in && setup.bmRequestType() == 0x80 && setup.bRequest() == GET_DESCRIPTOR) {
            // Standard requests are answered by the USB core whatever the DFU state.
            byte[] d = descriptors().forGetDescriptor(setup.wValue())
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
        if (state == DfuState.DFU_DNBUSY && clock.nanoTime() < busy.pollDeadline) {
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
                requireState(request, state == DfuState.DFU_ERROR);
                state = DfuState.DFU_IDLE;
                status = DfuStatusCode.OK;
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
                disconnect(DisconnectReason.DETACH, true, clock.nanoTime());
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
                long now = clock.nanoTime();
                SimOptions.StatusTiming mode = options.statusTiming();
                if (mode == SimOptions.StatusTiming.HOLD) {
                    throw new Hold(busy.until);
                }
                if (mode == SimOptions.StatusTiming.STALL_WHILE_BUSY && busy.erase && busy.stallsLeft > 0) {
                    busy.stallsLeft--;
                    throw new Stall("GETSTATUS stalled while the flash is being erased");
                }
                Duration remaining = Duration.ofNanos(busy.until - now);
                Duration reported = mode == SimOptions.StatusTiming.UNDERSTATED ? understate(remaining) : remaining;
                return busyAnswer(reported);
            }
            case DFU_MANIFEST_SYNC -> {
                state = DfuState.DFU_MANIFEST;
                byte[] answer = answer(1); // ST's DFU code reports 1 ms, then resets before it could be polled
                leave();
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

    private Duration understate(Duration real) {
        Duration u = options.understatedPollTimeout();
        return u.compareTo(real) < 0 ? u : real;
    }

    /** Executes the pending DNLOAD (AN3156: "effectively executed only when a DFU_GETSTATUS request is issued"). */
    private byte[] execute(ControlSetup setup) {
        Download d = pendingDownload;
        pendingDownload = null;
        Outcome outcome = d.blockNum() == 0 ? command(d.data()) : writeMemory(d, setup);
        long now = clock.nanoTime();
        SimOptions.StatusTiming mode = options.statusTiming();
        boolean understateFirst = mode == SimOptions.StatusTiming.UNDERSTATED || mode == SimOptions.StatusTiming.HOLD
                || (mode == SimOptions.StatusTiming.STALL_WHILE_BUSY && outcome.erase());
        busy = new Busy(outcome.status(), now + outcome.time().toNanos(), outcome.erase(), options.stallsWhileBusy());
        state = DfuState.DFU_DNBUSY;
        status = DfuStatusCode.OK;
        byte[] answer = busyAnswer(understateFirst ? understate(outcome.time()) : outcome.time());
        if (outcome.resetAfter() != null && outcome.status() == DfuStatusCode.OK) {
            // Read Unprotect and option-byte writes end in a system reset: the ROM answers this
            // GETSTATUS, then drops off the bus and enumerates again when the operation is done.
            disconnect(outcome.resetAfter(), true, now + outcome.time().toNanos());
        }
        return answer;
    }

    private Outcome command(byte[] data) {
        int code = data[0] & 0xFF;
        DfuSeCommand command = DfuSeCommand.fromCode(code).filter(c -> c.acceptsLength(data.length)).orElse(null);
        if (command == DfuSeCommand.SET_ADDRESS_POINTER) {
            long address = DfuSeCommand.address(data);
            if (!validPointer(address)) {
                return Outcome.error(DfuStatusCode.ERR_TARGET);
            }
            addressPointer = address;
            jumpAddress = address;
            return Outcome.ok(Duration.ZERO);
        }
        if (command == DfuSeCommand.ERASE) {
            if (isReadProtected()) {
                return Outcome.error(DfuStatusCode.ERR_VENDOR);
            }
            if (data.length == DfuSeCommand.LENGTH_ALONE) {
                Optional<Fault.ErrorStatusOnNextWriteOrErase> f = nextWriteOrEraseFault();
                if (f.isPresent()) {
                    return Outcome.error(f.get().status());
                }
                for (int i = 0; i < memory.sectors().size(); i++) {
                    if (!writeProtected.get(i)) {
                        memory.eraseSector(i);
                    }
                }
                return new Outcome(DfuStatusCode.OK, timing.massEraseTime(), true, null);
            }
            long address = DfuSeCommand.address(data);
            int index = memory.sectorIndex(address);
            if (index < 0) {
                return Outcome.error(DfuStatusCode.ERR_TARGET);
            }
            Optional<Fault.ErrorStatusOnNextWriteOrErase> f = nextWriteOrEraseFault();
            if (f.isPresent()) {
                return Outcome.error(f.get().status());
            }
            if (!writeProtected.get(index)) {
                memory.eraseSector(index);
            }
            return new Outcome(DfuStatusCode.OK, timing.eraseTime(memory.sectors().get(index)), true, null);
        }
        if (command == DfuSeCommand.READ_UNPROTECT) {
            if (isReadProtected()) {
                memory.eraseAllFlash();
                memory.resetOptionBytes();
                writeProtected.clear();
            }
            memory.clearRam();
            return new Outcome(DfuStatusCode.OK, timing.massEraseTime(), true, DisconnectReason.READ_UNPROTECT);
        }
        violation(ProtocolViolation.Kind.UNKNOWN_COMMAND, DfuRequest.DNLOAD, String.format(
                "DfuSe command 0x%02x with %d bytes is not one the ROM knows (0x21/5, 0x41/1 or 5, 0x92/1)",
                code, data.length));
        enterError(DfuStatusCode.ERR_STALLEDPKT);
        throw new Stall("unknown DfuSe command");
    }

    private Optional<Fault.ErrorStatusOnNextWriteOrErase> nextWriteOrEraseFault() {
        return faults.take(Fault.ErrorStatusOnNextWriteOrErase.class, x -> true);
    }

    private boolean validPointer(long address) {
        Optional<SimMemory.Area> area = memory.areaFor(address, 1);
        if (area.isEmpty()) {
            return false;
        }
        return area.get().kind() != SimMemory.Kind.RAM || profile.ram().userRegion().contains(address, 1);
    }

    private long blockAddress(int blockNum, int length) {
        int size = options.blockAddressing() == SimOptions.BlockAddressing.TRANSFER_SIZE
                ? profile.transferSize() : length;
        return ((blockNum - 2L) * size + addressPointer) & 0xFFFF_FFFFL;
    }

    private Outcome writeMemory(Download d, ControlSetup setup) {
        byte[] data = d.data();
        long address = blockAddress(d.blockNum(), data.length);
        if (isReadProtected()) {
            return Outcome.error(DfuStatusCode.ERR_VENDOR);
        }
        Optional<Fault.DisconnectOnWrite> gone = faults.take(Fault.DisconnectOnWrite.class,
                f -> f.address() >= address && f.address() < address + data.length);
        if (gone.isPresent()) {
            disconnect(DisconnectReason.INJECTED, gone.get().reenumerate(), clock.nanoTime());
            throw new DeviceGoneException(String.format("device disconnected while writing 0x%08x (injected)",
                    gone.get().address()), setup);
        }
        Optional<ChipProfile.OptionBlock> optionBlock = profile.optionBytes().blockAt(address);
        if (optionBlock.isPresent()) {
            ChipProfile.OptionBlock block = optionBlock.get();
            if (address != block.base() || data.length != block.size()) {
                return Outcome.error(DfuStatusCode.ERR_TARGET);
            }
            // "All options are erased before writing the new values", then the ROM resets.
            memory.store(address, data);
            Duration time = timing.eraseTime(memory.sectors().get(0)).plus(timing.programTime(data.length));
            return new Outcome(DfuStatusCode.OK, time, false, DisconnectReason.OPTION_BYTES_WRITTEN);
        }
        Optional<SimMemory.Area> target = memory.areaFor(address, data.length);
        if (data.length < 2 || target.isEmpty()) {
            return Outcome.error(DfuStatusCode.ERR_TARGET);
        }
        SimMemory.Area area = target.get();
        if (area.kind() != SimMemory.Kind.FLASH && area.kind() != SimMemory.Kind.RAM
                && area.kind() != SimMemory.Kind.OTP) {
            return Outcome.error(DfuStatusCode.ERR_TARGET);
        }
        Optional<Fault.ErrorStatusOnNextWriteOrErase> f = nextWriteOrEraseFault();
        if (f.isPresent()) {
            return Outcome.error(f.get().status());
        }
        switch (area.kind()) {
            case RAM -> {
                if (!profile.ram().userRegion().contains(address, data.length)) {
                    return Outcome.error(DfuStatusCode.ERR_TARGET);
                }
                memory.store(address, data);
                jumpAddress = address;
                return Outcome.ok(Duration.ZERO);
            }
            case FLASH -> {
                DfuStatusCode result = programFlash(address, data);
                if (result == DfuStatusCode.OK) {
                    jumpAddress = address;
                }
                return new Outcome(result, timing.programTime(data.length), false, null);
            }
            case OTP -> {
                area.clearBits(address, data, 0, data.length);
                return new Outcome(DfuStatusCode.OK, timing.programTime(data.length), false, null);
            }
            default -> {
                return Outcome.error(DfuStatusCode.ERR_TARGET);
            }
        }
    }

    /**
     * Programs unit by unit. A unit only partly covered by the data is padded with 0xFF (which
     * leaves its other bytes unchanged). Flash can only clear bits; a unit that is not erased is a
     * protocol violation, and on families whose controller refuses it, a programming error that
     * stops the write at that unit.
     */
    private DfuStatusCode programFlash(long address, byte[] data) {
        SimMemory.Area flash = memory.flash();
        int unit = profile.programUnit();
        long end = address + data.length;
        boolean reported = false;
        // Sector by sector (protection is per sector, and sectors are whole program units), and
        // within a sector everything up to the first unit that is not erased in one bulk step: a
        // simulated fixture runs dozens of these at once.
        long u = address - Math.floorMod(address, unit);
        while (u < end) {
            int sector = memory.sectorIndex(u);
            long sectorEnd = memory.sectors().get(sector).end();
            long spanEnd = Math.min(end, sectorEnd);
            long unitsEnd = Math.min(sectorEnd, spanEnd + Math.floorMod(-spanEnd, unit));
            if (!writeProtected.get(sector)) {
                while (u < spanEnd) {
                    long dirty = flash.firstOther(u, (int) (unitsEnd - u), (byte) 0xFF);
                    long cleanEnd = dirty < 0 ? unitsEnd : dirty - Math.floorMod(dirty, unit);
                    program(flash, address, data, u, cleanEnd);
                    if (dirty < 0) {
                        break;
                    }
                    if (!reported) {
                        violation(ProtocolViolation.Kind.WRITE_TO_UNERASED_FLASH, DfuRequest.DNLOAD, String.format(
                                "programming %d-byte unit at 0x%08x that is not erased", unit, cleanEnd));
                        reported = true;
                    }
                    if (profile.programFailsOnUnerased()) {
                        return DfuStatusCode.ERR_PROG;
                    }
                    program(flash, address, data, cleanEnd, cleanEnd + unit);
                    u = cleanEnd + unit;
                }
            }
            u = sectorEnd;
        }
        return DfuStatusCode.OK;
    }

    /** Programs the part of [from, to) that {@code data} (which starts at {@code address}) covers. */
    private static void program(SimMemory.Area flash, long address, byte[] data, long from, long to) {
        long start = Math.max(from, address);
        long stop = Math.min(to, address + data.length);
        if (start < stop) {
            flash.clearBits(start, data, (int) (start - address), (int) (stop - start));
        }
    }

    /** Leave DFU mode (AN3156 5.5): jump if the vector table at the pointer looks like code, else reset. */
    private void leave() {
        long table = jumpAddress;
        long now = clock.nanoTime();
        Optional<SimMemory.Area> area = memory.areaFor(table, 8);
        if (area.isPresent() && (area.get().kind() == SimMemory.Kind.FLASH || area.get().kind() == SimMemory.Kind.RAM)) {
            byte[] vectors = memory.read(table, 8);
            long sp = le32(vectors, 0);
            long pc = le32(vectors, 4);
            ChipProfile.Region ram = profile.ram().region();
            boolean stackInRam = sp > ram.base() && sp <= ram.end();
            long handler = pc & ~1L;
            boolean codeThere = profile.flash().contains(handler, 2) || ram.contains(handler, 2);
            if (stackInRam && codeThere) {
                lastJump = new Jump(table, sp, pc, now);
                disconnect(DisconnectReason.LEAVE_TO_APPLICATION, false, now);
                return;
            }
        }
        disconnect(DisconnectReason.LEAVE_RESET, true, now);
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
            byte[] commands = DfuSeCommand.supportedCodes();
            // ST's device library: a complete command list leaves the device idle, a partial one in upload-idle.
            state = length >= commands.length ? DfuState.DFU_IDLE : DfuState.DFU_UPLOAD_IDLE;
            return Arrays.copyOf(commands, Math.min(length, commands.length));
        }
        if (setup.wValue() == 1) {
            badSetup(DfuRequest.UPLOAD, "wBlockNum 1 is not a valid UPLOAD command");
        }
        long address = blockAddress(setup.wValue(), length);
        if (isReadProtected()) {
            enterError(DfuStatusCode.ERR_VENDOR);
            throw new Stall("read protection is active");
        }
        if (!readable(address, length)) {
            enterError(DfuStatusCode.ERR_TARGET);
            throw new Stall(String.format("cannot read %d bytes at 0x%08x", length, address));
        }
        byte[] out = memory.read(address, length);
        for (Fault.CorruptReadback c : faults.corruptions()) {
            for (int i = 0; i < length; i++) {
                long a = address + i;
                if (a >= c.start() && a < c.end()) {
                    out[i] ^= (byte) c.xorMask();
                }
            }
        }
        state = DfuState.DFU_UPLOAD_IDLE;
        return out;
    }

    private boolean readable(long address, int length) {
        Optional<ChipProfile.OptionBlock> block = profile.optionBytes().blockAt(address);
        if (block.isPresent()) {
            return address == block.get().base() && length == block.get().size();
        }
        Optional<SimMemory.Area> area = memory.areaFor(address, length);
        if (area.isEmpty() || length < 2) {
            return false;
        }
        return area.get().kind() != SimMemory.Kind.RAM || profile.ram().userRegion().contains(address, length);
    }

    private static long le32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
    }

    // ---------------------------------------------------------------- transport

    private final class SimTransport implements DfuTransport {
        final int generation;
        volatile boolean closed;
        private final UsbDeviceInfo info;

        SimTransport(int generation) {
            this.generation = generation;
            this.info = new UsbDeviceInfo(profile.vendorId(), profile.productId(), profile.bcdDevice(),
                    profile.manufacturer(), profile.product(), serialNumber, portPath);
        }

        @Override
        public UsbDeviceInfo deviceInfo() {
            return info;
        }

        @Override
        public List<DfuAltSetting> altSettings() {
            List<String> names = profile.altSettingNames();
            return IntStream.range(0, names.size()).mapToObj(i -> new DfuAltSetting(0, i, names.get(i))).toList();
        }

        @Override
        public DfuFunctionalDescriptor functionalDescriptor() {
            return profile.functionalDescriptor();
        }

        @Override
        public void selectAltSetting(int alternateSetting) {
            ControlSetup setup = new ControlSetup(0x01, 0x0B, Math.max(0, Math.min(alternateSetting, 0xFFFF)), 0, 0);
            synchronized (SimulatedStm32.this) {
                checkAlive(this, setup);
                if (alternateSetting < 0 || alternateSetting >= profile.altSettingNames().size()) {
                    throw new StallException("no alternate setting " + alternateSetting, setup);
                }
                if (state != DfuState.DFU_IDLE && state != DfuState.DFU_ERROR) {
                    violation(ProtocolViolation.Kind.REQUEST_IN_FORBIDDEN_STATE, null,
                            "SET_INTERFACE while " + state);
                    throw new StallException("alternate setting cannot change in " + state, setup);
                }
                altSetting = alternateSetting;
            }
        }

        @Override
        public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
            Objects.requireNonNull(setup, "setup");
            Objects.requireNonNull(data, "data (use an empty array for no data stage)");
            if (data.length != setup.wLength()) {
                throw new IllegalArgumentException("data length " + data.length + " != wLength " + setup.wLength());
            }
            transfer(this, setup, data, timeout);
        }

        @Override
        public byte[] controlIn(ControlSetup setup, Duration timeout) {
            Objects.requireNonNull(setup, "setup");
            return transfer(this, setup, null, timeout);
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String toString() {
            return "SimTransport[" + SimulatedStm32.this + " #" + generation + "]";
        }
    }

    // ---------------------------------------------------------------- builder

    public static final class Builder {
        private final ChipProfile profile;
        private SimOptions options = SimOptions.defaults();
        private DfuClock clock = DfuClock.SYSTEM;
        private byte[] uid;
        private long seed = 1;
        private String serialNumber;
        private String portPath = "sim-1";
        private boolean readProtected;
        private final List<Long> writeProtectedAddresses = new ArrayList<>();
        private final List<Map.Entry<Long, byte[]>> preloads = new ArrayList<>();
        private FaultPlan faults = FaultPlan.none();

        private Builder(ChipProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
        }

        public Builder options(SimOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public Builder clock(DfuClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The 96-bit unique ID (12 bytes, as stored from the UID base address up). */
        public Builder uniqueId(byte[] uid) {
            if (uid == null || uid.length != ChipProfile.UID_LENGTH) {
                throw new IllegalArgumentException("a unique ID has exactly 12 bytes");
            }
            this.uid = uid.clone();
            return this;
        }

        /** Derives a realistic unique ID from a seed (ignored when {@link #uniqueId} is given). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Overrides the USB serial string (a constant, a truncated one, a duplicate...). */
        public Builder serialNumber(String serial) {
            this.serialNumber = Objects.requireNonNull(serial, "serial");
            return this;
        }

        public Builder portPath(String portPath) {
            this.portPath = Objects.requireNonNull(portPath, "portPath");
            return this;
        }

        /** Read protection level 1 in the option bytes. */
        public Builder readProtected(boolean on) {
            this.readProtected = on;
            return this;
        }

        /** Write-protects the flash sectors that hold these addresses (any address inside each sector). */
        public Builder writeProtect(long... sectorAddresses) {
            for (long a : sectorAddresses) {
                writeProtectedAddresses.add(a);
            }
            return this;
        }

        /** Initial memory content (flash, RAM, OTP or option bytes), stored as is. */
        public Builder content(long address, byte[] data) {
            preloads.add(Map.entry(address, data.clone()));
            return this;
        }

        public Builder faults(FaultPlan faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        public SimulatedStm32 build() {
            return new SimulatedStm32(this);
        }
    }

    /** Sectors of the internal flash, for tests that need addresses. */
    public List<Sector> flashSectors() {
        return memory.sectors();
    }
}
