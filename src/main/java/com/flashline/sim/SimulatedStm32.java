package com.flashline.sim;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.Sector;
import com.flashline.dfu.TransportIoException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

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
 *
 * <p>The board itself is its presence on the bus (plugged, enumerating, running the application),
 * its listeners and what tests inspect. Each enumeration gets a {@link SimTransport}; the requests
 * it carries are answered by the USB side of the ROM ({@link DfuRequestDispatcher}: setup packets,
 * DFU states, GETSTATUS), which hands accepted commands and data blocks to the ROM's command
 * side ({@link RomCommandExecutor}: erase, program, read, option bytes, protection, timing).
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

    private final ChipProfile profile;
    private final SimOptions options;
    private final DfuClock clock;
    private final TimingModel timing;
    private final byte[] uid;
    private final String serialNumber;
    private final String portPath;
    private final FaultPlan faults;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    // Everything below is guarded by "this", and so is everything the two parts of the ROM hold.
    private final SimMemory memory;
    private final RomCommandExecutor rom;
    private final DfuRequestDispatcher requests;
    private final List<Runnable> pendingNotices = new ArrayList<>();
    private Presence presence = Presence.BOOTLOADER;
    private long enumerationReadyAt;
    private int generation;
    private int enumerations = 1;
    private Jump lastJump;

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
        this.rom = new RomCommandExecutor(profile, options, timing, memory, faults);
        for (long address : b.writeProtectedAddresses) {
            rom.writeProtect(address);
        }
        if (b.readProtected) {
            rom.setReadProtection(true);
        }
        this.requests = new DfuRequestDispatcher(this, rom);
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
            return new SimTransport(this, gen);
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
            requests.abandonOperation();
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
        return rom.readProtected();
    }

    public synchronized List<ProtocolViolation> violations() {
        return requests.violations();
    }

    public synchronized Optional<Jump> lastJump() {
        return Optional.ofNullable(lastJump);
    }

    /** Control transfers received since the board was built (each numbered from 1 for {@link FaultPlan}). */
    public synchronized long controlTransferCount() {
        return requests.controlTransferCount();
    }

    public synchronized Map<DfuRequest, Long> requestCounts() {
        return requests.requestCounts();
    }

    public synchronized long requestCount(DfuRequest request) {
        return requests.requestCount(request);
    }

    /** The erases and flash writes the ROM has executed, over all enumerations. */
    public synchronized FlashWork flashWork() {
        return rom.flashWork();
    }

    /** GETSTATUS requests that arrived while an operation ran and were answered only when it ended. */
    public synchronized long heldStatusRequests() {
        return requests.heldStatusRequests();
    }

    /** How often the board enumerated in its bootloader (1 after construction). */
    public synchronized int enumerationCount() {
        return enumerations;
    }

    /** The DFU state right now (for tests; a host must ask with GETSTATE/GETSTATUS). */
    public synchronized DfuState dfuState() {
        return requests.state();
    }

    public synchronized long addressPointer() {
        return rom.addressPointer();
    }

    @Override
    public String toString() {
        return "SimulatedStm32[" + profile + " " + serialNumber + " on " + portPath + "]";
    }

    // ---------------------------------------------------------------- lifecycle internals

    private void notice(java.util.function.Consumer<Listener> n) {
        pendingNotices.add(() -> listeners.forEach(n));
    }

    void deliverNotices() {
        List<Runnable> todo;
        synchronized (this) {
            todo = List.copyOf(pendingNotices);
            pendingNotices.clear();
        }
        todo.forEach(Runnable::run);
    }

    void sleep(long nanos) {
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
    void disconnect(DisconnectReason reason, boolean reset, long readyAt) {
        generation++;
        requests.abandonOperation();
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
        requests.reset();
        rom.reset();
        notice(Listener::reenumerated);
    }

    /** Leave DFU mode: the application runs when the ROM found code to jump to, else the chip resets. */
    void leftDfuMode(Optional<Jump> jump, long now) {
        if (jump.isPresent()) {
            lastJump = jump.get();
            disconnect(DisconnectReason.LEAVE_TO_APPLICATION, false, now);
        } else {
            disconnect(DisconnectReason.LEAVE_RESET, true, now);
        }
    }

    /** True while a transport of enumeration {@code gen} can still reach the board. */
    boolean onBusAs(int gen) {
        return presence == Presence.BOOTLOADER && gen == generation;
    }

    String portPath() {
        return portPath;
    }

    DfuRequestDispatcher requests() {
        return requests;
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
