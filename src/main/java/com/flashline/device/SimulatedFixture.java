package com.flashline.device;

import com.flashline.config.FlashLineProperties;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.MemoryLayoutException;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.flashing.DeviceConnector;
import com.flashline.job.JobFinishedEvent;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.DisconnectReason;
import com.flashline.sim.FaultPlan;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import com.flashline.station.Departure;
import com.flashline.station.DeviceSnapshot;
import com.flashline.station.PortRegistry;
import com.flashline.usb.PortPath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;

/**
 * A fixture of simulated STM32 boards in their ROM bootloader, one port per slot ({@code sim-1} ...
 * {@code sim-N}). Tests and the REST API put boards on ports and take them off; a board's own
 * departures (reset after Leave, Read Unprotect, option bytes, its application starting) and
 * re-enumerations are reported to the {@link PortRegistry} as {@link Departure#RESET} and
 * arrivals, a board taken off as {@link Departure#UNPLUGGED}.
 *
 * <p>Every board gets a unique chip UID: a per-run random lot number plus a counter in the wafer
 * coordinates (so the USB serial, which ROMs derive from 48 of the 96 bits, is unique as well).
 *
 * <p>The fixture's bus reports one arrival or departure at a time, as the USB watcher's one
 * dispatch thread does ({@code UsbDeviceWatcher}): a batch of boards put on at once by concurrent
 * requests is judged board by board, as on a real hub, instead of by as many threads at once
 * competing for the station's cores with everything else it serves.
 *
 * <p>With {@code replace-finished-after} set, a simulated operator takes each finished board off
 * its port that long after its job ended and puts a fresh blank board on shortly after, so boards
 * flow continuously (the demo).
 */
public final class SimulatedFixture implements DeviceSource {

    private static final Logger log = LoggerFactory.getLogger(SimulatedFixture.class);

    private final ChipProfile profile;
    private final SimOptions options;
    private final DfuClock dfuClock;
    private final PortRegistry registry;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final FlashLineProperties.Simulator settings;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final AtomicInteger boardsMade = new AtomicInteger();
    private final AtomicInteger replacements = new AtomicInteger();
    private final byte[] lot = randomLot();
    /** The memory layouts of the chip's alt settings: every board of the fixture has the same. */
    private final List<MemoryLayout> layouts;
    private volatile boolean running;
    /**
     * Held while the registry is told of an arrival or a departure: the innermost of the fixture's
     * locks (taken inside a slot's, or in a board's own reset event), so nothing else of the
     * fixture is locked while it is held.
     */
    private final Object bus = new Object();

    /** One port: the board on it (or null) and whether the bootloader is on the bus. */
    private static final class Slot {
        final String path;
        final PortPresence presence = new PortPresence();
        volatile SimulatedStm32 board;

        Slot(String path) {
            this.path = path;
        }
    }

    public SimulatedFixture(FlashLineProperties.Simulator settings, DfuClock dfuClock, PortRegistry registry,
            TaskScheduler scheduler, Clock clock) {
        this.settings = settings;
        this.profile = chip(settings.chip());
        this.layouts = layouts(profile);
        this.options = SimOptions.defaults().withTimeScale(settings.timeScale())
                .withStatusTiming(settings.statusTiming()).withBlockAddressing(settings.blockAddressing());
        this.dfuClock = dfuClock;
        this.registry = registry;
        this.scheduler = scheduler;
        this.clock = clock;
        for (int i = 1; i <= settings.ports(); i++) {
            String path = PortPath.parse(settings.portPrefix() + i).value();
            slots.put(path, new Slot(path));
        }
    }

    private static ChipProfile chip(String name) {
        return ChipProfile.all().stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("flashline.simulator.chip: no chip profile '" + name
                        + "'; known: " + ChipProfile.all().stream().map(ChipProfile::name).toList()));
    }

    @Override
    public String name() {
        return "simulator";
    }

    @Override
    public void start() {
        running = true;
        if (settings.plugAtStart()) {
            slots.keySet().forEach(this::plug);
        }
        log.info("simulated fixture: {} ports ({} ... ), {} boards, time scale {}", slots.size(),
                slots.keySet().iterator().next(), profile.name(), options.timeScale());
    }

    @Override
    public void stop() {
        running = false;
    }

    public ChipProfile profile() {
        return profile;
    }

    /** The fixture's port paths in order. */
    public List<String> ports() {
        return List.copyOf(slots.keySet());
    }

    @Override
    public boolean owns(String portPath) {
        return slots.containsKey(portPath);
    }

    /** Puts a fresh blank board on {@code portPath} (taking off the one there, if any). */
    public SimulatedStm32 plug(String portPath) {
        return plug(portPath, UnaryOperator.identity());
    }

    /**
     * Puts a board on {@code portPath}, built by {@code customise} from the fixture's defaults
     * (chip, options, clock, a fresh unique ID); e.g. {@code b -> b.readProtected(true)}. The one
     * there before is taken off first.
     */
    public SimulatedStm32 plug(String portPath, UnaryOperator<SimulatedStm32.Builder> customise) {
        Slot slot = slot(portPath);
        synchronized (slot) {
            if (slot.board != null) {
                unplug(portPath);
            }
            SimulatedStm32 board = customise.apply(SimulatedStm32.builder(profile)
                    .options(options)
                    .clock(dfuClock)
                    .portPath(portPath)
                    .uniqueId(nextUniqueId())).build();
            board.addListener(new BoardEvents(slot, board));
            slot.board = board;
            if (board.presence() == SimulatedStm32.Presence.BOOTLOADER) {
                arrived(slot, board);
            }
            return board;
        }
    }

    /** Takes the board off {@code portPath}: a real removal, which re-arms the port. No effect on an empty port. */
    public void unplug(String portPath) {
        Slot slot = slot(portPath);
        synchronized (slot) {
            SimulatedStm32 board = slot.board;
            if (board == null) {
                return;
            }
            boolean onBus = board.presence() == SimulatedStm32.Presence.BOOTLOADER;
            // On the bus the board's own UNPLUGGED notice reports the removal; a board running its
            // application has already left the bus, so the fixture reports the removal itself.
            board.unplug();
            slot.board = null;
            if (!onBus) {
                slot.presence.departed();
                reportRemoval(portPath, Departure.UNPLUGGED);
            }
        }
    }

    /** The board on {@code portPath}, if any (on the bus or running its application). */
    public Optional<SimulatedStm32> board(String portPath) {
        return Optional.ofNullable(slot(portPath).board);
    }

    @Override
    public DfuTransport open(String portPath) {
        SimulatedStm32 board = slot(portPath).board;
        if (board == null) {
            throw new DeviceGoneException("no board on simulated port " + portPath, null);
        }
        return board.connect();
    }

    @Override
    public DeviceConnector connector(String portPath) {
        return slot(portPath).presence.connector(portPath, () -> open(portPath));
    }

    @Override
    public SourceHealth health() {
        long boards = slots.values().stream().filter(s -> s.presence.present()).count();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("ports", slots.size());
        facts.put("boardsInBootloader", boards);
        facts.put("chip", profile.name());
        facts.put("timeScale", options.timeScale());
        return running ? SourceHealth.up("simulated fixture", facts) : SourceHealth.down("simulated fixture stopped");
    }

    /** The simulated operator: replaces finished boards when {@code replace-finished-after} is set. */
    @EventListener
    public void onJobFinished(JobFinishedEvent event) {
        Duration after = settings.replaceFinishedAfter();
        String path = event.job().port();
        if (after.isZero() || !owns(path) || !running) {
            return;
        }
        SimulatedStm32 finished = slot(path).board;
        scheduler.schedule(() -> {
            Slot slot = slot(path);
            synchronized (slot) {
                if (!running || slot.board != finished) {
                    return; // someone else changed the board meanwhile
                }
                unplug(path);
            }
            scheduler.schedule(() -> {
                if (running && slot.board == null) {
                    plug(path, this::perhapsFaulty);
                }
            }, clock.instant().plus(after.dividedBy(2)));
        }, clock.instant().plus(after));
    }

    /**
     * Every {@code faulty-board-every}th replacement board is faulty, alternately one that drops
     * off the bus when its flash start is written and one whose flash reads back wrong there, so
     * that a demo line shows failures and their codes.
     */
    private SimulatedStm32.Builder perhapsFaulty(SimulatedStm32.Builder board) {
        int every = settings.faultyBoardEvery();
        int replaced = replacements.incrementAndGet();
        if (every == 0 || replaced % every != 0) {
            return board;
        }
        long flashStart = layouts.get(0).start();
        return board.faults(replaced / every % 2 == 1
                ? FaultPlan.none().disconnectOnWrite(flashStart)
                : FaultPlan.none().corruptReadback(flashStart + 0x40, flashStart + 0x41, 0x01));
    }

    private Slot slot(String portPath) {
        Slot slot = slots.get(portPath);
        if (slot == null) {
            throw new IllegalArgumentException("'" + portPath + "' is not a simulated port; ports are "
                    + slots.keySet());
        }
        return slot;
    }

    /**
     * The registry (and auto-start behind it) hears of an arrival before a job waiting for its
     * board to come back does, so that the port's job is still running when the arrival is judged.
     */
    private void arrived(Slot slot, SimulatedStm32 board) {
        try {
            DeviceSnapshot snapshot = snapshot(slot.path, board);
            synchronized (bus) {
                registry.deviceArrived(slot.path, snapshot);
            }
        } finally {
            slot.presence.arrived();
        }
    }

    private void reportRemoval(String path, Departure departure) {
        synchronized (bus) {
            registry.deviceRemoved(path, departure);
        }
    }

    private DeviceSnapshot snapshot(String path, SimulatedStm32 board) {
        UsbDeviceInfo usb = new UsbDeviceInfo(profile.vendorId(), profile.productId(), profile.bcdDevice(),
                profile.manufacturer(), profile.product(), board.serialNumber(), path);
        return new DeviceSnapshot(usb, layouts, null, clock.instant());
    }

    private static List<MemoryLayout> layouts(ChipProfile profile) {
        List<MemoryLayout> layouts = new ArrayList<>();
        for (String name : profile.altSettingNames()) {
            try {
                layouts.add(MemoryLayout.parse(name));
            } catch (MemoryLayoutException e) {
                log.debug("alt setting '{}' has no memory layout", name);
            }
        }
        return List.copyOf(layouts);
    }

    /** Forwards one board's bus events while it is the board on its slot. */
    private final class BoardEvents implements SimulatedStm32.Listener {
        private final Slot slot;
        private final SimulatedStm32 board;

        BoardEvents(Slot slot, SimulatedStm32 board) {
            this.slot = slot;
            this.board = board;
        }

        @Override
        public void disconnected(DisconnectReason reason) {
            if (slot.board != board) {
                return;
            }
            slot.presence.departed();
            Departure departure = switch (reason) {
                case UNPLUGGED -> Departure.UNPLUGGED;
                case INJECTED -> Departure.UNKNOWN;
                default -> Departure.RESET;
            };
            reportRemoval(slot.path, departure);
        }

        @Override
        public void reenumerated() {
            if (slot.board != board) {
                return;
            }
            arrived(slot, board);
        }
    }

    private byte[] nextUniqueId() {
        int n = boardsMade.incrementAndGet();
        // Word 0: wafer X/Y from the counter; word 1: wafer number and 3 lot characters; word 2: 4 more.
        ByteBuffer uid = ByteBuffer.allocate(ChipProfile.UID_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        uid.putShort((short) (n & 0xFFFF)).putShort((short) ((n >>> 16) & 0xFFFF));
        uid.put((byte) 1).put(lot);
        return uid.array();
    }

    private static byte[] randomLot() {
        String alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        SecureRandom random = new SecureRandom();
        StringBuilder lot = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            lot.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return lot.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
