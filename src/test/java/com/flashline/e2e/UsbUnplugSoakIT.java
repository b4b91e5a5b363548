package com.flashline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.e2e.FlashLineApi.Job;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.ReadOptions;
import com.flashline.firmware.Segment;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.Fault;
import com.flashline.sim.SimulatedStm32;
import com.flashline.usb.emulation.DeviceSpec;
import com.flashline.usb.emulation.FakeDfuDevice;
import com.flashline.usb.emulation.UmockdevBridge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16, row 4: boards pulled off the bus in every phase of a job, on the packaged jar's real
 * USB path (usb4java → libusb → usbdevfs ioctls under umockdev), {@link #UNPLUGS} times in a row.
 * Each pulled board is followed on the same port by a board that must pass; at the end the
 * service process must not have grown in threads, file descriptors or native memory since the
 * warm-up (a leak check with stated allowances, not a timing threshold).
 *
 * <p>A board is pulled by the request it receives: a decorator on its emulated transport
 * recognises the first request of the chosen phase (see {@link Cut}) and has the simulated board
 * drop off the bus instead of answering it (the injected {@link Fault.DisconnectAtRequest}); the
 * bridge then removes the device, so libusb sees the URB fail with ENODEV/ESHUTDOWN and a hotplug
 * "left" event, as on a cable pull. See docs/testing.md and docs/reliability.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsbUnplugSoakIT {

    /** Unplugs in all (system property {@code flashline.it.unplugs}); each is followed by a passing board. */
    static final int UNPLUGS = Integer.getInteger("flashline.it.unplugs", 200);
    /** Ports flashed side by side. Few: libusb busy-polls every open emulated node (docs/testing.md). */
    static final int PORTS = Integer.getInteger("flashline.it.unplugPorts", 4);
    /** Cycles before the first resource snapshot: the JIT, pools and caches have settled by then. */
    static final int WARM_UP = Math.max(PORTS, UNPLUGS / 10);

    /*
     * Growth allowed between the snapshot after the warm-up and the one at the end, both taken with
     * no job running and every port empty. A leak of one descriptor, one thread or one libusb
     * device struct per unplug would show as 180 of them; the allowances are far below that.
     */
    static final int THREAD_ALLOWANCE = 4;
    static final int FD_ALLOWANCE = 4;
    /** The test's own HTTP clients keep up to one connection per port thread, plus the main thread's. */
    static final int TCP_ALLOWANCE = PORTS + 2;
    /**
     * A coarse bound for what NMT cannot see (libusb's own mallocs): resident memory also grows
     * with heap pages touched for the first time and with the JIT's code cache, +4.8 to +14 MiB
     * over 180 unplugs in the runs recorded in docs/reliability.md while NMT without the code cache
     * shrank. 32 MiB over 180 unplugs catches a leak of about 180 KiB or more per unplug, not a
     * small one; the NMT check below is the precise one for the JVM's native memory.
     */
    static final long RSS_ALLOWANCE_KIB = 32 * 1024;
    static final long NMT_ALLOWANCE_KIB = 4 * 1024;

    private static final long FLASH = ChipProfile.STM32F407.flash().base();
    private static final long SERIAL_ADDRESS = FLASH + 0x3F00;
    private static final Duration JOB_LIMIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String OTHER_DEVICE_PORT = "1-9";

    /**
     * Where a board is pulled: the first request of a phase, recognised on the wire. The expected
     * outcome of each is decided by AN3156 (docs/reliability.md): a board that vanishes before it
     * acknowledged a request has not done it, so the job FAILED with DEVICE_GONE in that phase.
     * The one exception is {@link #AFTER_LEAVE}: once the zero-length DNLOAD of "leave DFU mode"
     * was acknowledged, the ROM leaves the bus by itself (section 5.5), so a board gone at the
     * GETSTATUS that follows is indistinguishable from one that left, and the job PASSED.
     */
    enum Cut {
        CONNECT("CONNECT", "FAILED", "DEVICE_GONE"),
        IDENTIFY("IDENTIFY", "FAILED", "DEVICE_GONE"),
        UNPROTECT("UNPROTECT", "FAILED", "DEVICE_GONE"),
        ERASE("ERASE", "FAILED", "DEVICE_GONE"),
        WRITE("WRITE", "FAILED", "DEVICE_GONE"),
        VERIFY("VERIFY", "FAILED", "DEVICE_GONE"),
        SERIALIZE("SERIALIZE", "FAILED", "DEVICE_GONE"),
        OPTION_BYTES("OPTION_BYTES", "FAILED", "DEVICE_GONE"),
        LEAVE("LEAVE", "FAILED", "DEVICE_GONE"),
        AFTER_LEAVE("LEAVE", "PASSED", null);

        final String phase;
        final String state;
        final String errorCode;

        Cut(String phase, String state, String errorCode) {
            this.phase = phase;
            this.state = state;
            this.errorCode = errorCode;
        }
    }

    private UmockdevBridge bridge;
    private PackagedJar service;
    private FlashLineApi api;
    private FirmwareImage blinky;
    private String libusbVersion;
    private final AtomicInteger seeds = new AtomicInteger(10_000);

    @BeforeAll
    void startBridgeAndService() throws IOException {
        assumeTrue(UmockdevBridge.unavailableReason().isEmpty(),
                () -> "umockdev bridge unavailable: " + UmockdevBridge.unavailableReason().orElse(""));
        org.usb4java.Version version = org.usb4java.LibUsb.getVersion();
        libusbVersion = version.major() + "." + version.minor() + "." + version.micro() + "." + version.nano();
        Path jar = PackagedJar.locate();
        bridge = UmockdevBridge.start();
        try {
            FakeDfuDevice other = new FakeDfuDevice("NOTABOOTLOADER");
            bridge.plug(OTHER_DEVICE_PORT, DeviceSpec.of(other).withIds(0x1d6b, 0x0104, 0x0100), other);
            // The heap committed and touched from the start, so that resident memory measures
            // what grows outside it (native memory: libusb, the JVM's own); NMT for the JVM's part.
            service = PackagedJar.start(jar, bridge.environment(), "usb-unplug-soak-it", Map.of(
                    "flashline.usb.enabled", "true",
                    "flashline.usb.rescan-interval", "500ms",
                    "flashline.station.id", "unplug-soak",
                    "flashline.workers", Integer.toString(PORTS),
                    "logging.level.com.flashline", "warn"),
                    List.of("-Xms256m", "-XX:+AlwaysPreTouch", "-XX:NativeMemoryTracking=summary"));
        } catch (RuntimeException | Error e) {
            bridge.close();
            throw e;
        }
        api = new FlashLineApi(service.baseUri(), service.adminPassword());
        byte[] blinkyHex = resource("/firmware/blinky-flash.hex");
        blinky = FirmwareReader.read(blinkyHex, "blinky-flash.hex", ReadOptions.defaults());
        ChipProfile.OptionBlock defaults = ChipProfile.STM32F407.optionBytes().first();
        byte[] options = defaults.factoryDefaults();
        options[2] ^= 0x01; // a user option bit, never the read-protection byte
        // Every phase in one recipe: unprotect allowed, a serial record, an option-byte block, leave.
        long recipe = api.createRecipe("unplug-every-phase",
                api.uploadFirmware("blinky-flash.hex", blinkyHex, "Blinky", "1.0.0"),
                ",\"allowUnprotect\":true,\"serial\":{\"address\":" + SERIAL_ADDRESS
                        + ",\"format\":\"U-{seq:08d}\",\"start\":1,\"length\":16}"
                        + ",\"optionBytes\":{\"address\":" + defaults.base() + ",\"hex\":\""
                        + HexFormat.of().formatHex(options) + "\"}");
        api.configureStation(recipe, true);
    }

    @AfterAll
    void stopServiceAndBridge() {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            if (bridge != null) {
                bridge.close();
            }
        }
    }

    @Test
    void boardsPulledInEveryPhaseFailWithDeviceGoneTheNextBoardPassesAndNothingLeaks() throws Exception {
        List<String> ports = Stream.iterate(1, i -> i + 1).limit(PORTS).map(i -> "1-" + i).toList();
        Map<Cut, Integer> outcomes = new EnumMap<>(Cut.class);
        long started = System.nanoTime();

        runCycles(ports, 0, WARM_UP, outcomes);
        Resources warm = Resources.of(service.pid());
        runCycles(ports, WARM_UP, UNPLUGS, outcomes);
        Resources end = Resources.of(service.pid());
        double minutes = (System.nanoTime() - started) / 60e9;

        String report = String.format(Locale.ROOT, """
                usb unplug soak: %d unplugs (%d per phase cut) on %d ports in %.1f min, libusb %s (usb4java)
                  outcomes by cut: %s
                  after %d-cycle warm-up: %s
                  at the end:             %s
                  growth: threads %+d (allowed %d), fds other than TCP %+d (allowed %d), TCP fds %+d (allowed %d), \
                RSS %+d KiB (allowed %d), NMT committed %+d KiB (allowed %d)
                  NMT growth by category (KiB): %s""",
                UNPLUGS, UNPLUGS / Cut.values().length, PORTS, minutes, libusbVersion, outcomes, WARM_UP, warm, end,
                end.threads - warm.threads, THREAD_ALLOWANCE, otherFds(end) - otherFds(warm), FD_ALLOWANCE,
                end.tcpFds - warm.tcpFds, TCP_ALLOWANCE, end.rssKib - warm.rssKib, RSS_ALLOWANCE_KIB,
                end.nmtCommittedKib - warm.nmtCommittedKib, NMT_ALLOWANCE_KIB, end.nmtGrowthSince(warm));
        System.out.println(report);
        Path out = Path.of(System.getProperty("user.dir"), "target", "e2e", "usb-unplug-soak.txt");
        Files.writeString(out, report + "\n", StandardCharsets.UTF_8);

        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(UNPLUGS);
        assertThat(end.threads - warm.threads).as("thread growth; %s", report).isLessThanOrEqualTo(THREAD_ALLOWANCE);
        assertThat(otherFds(end) - otherFds(warm)).as("descriptor growth; %s", report)
                .isLessThanOrEqualTo(FD_ALLOWANCE);
        assertThat(end.tcpFds - warm.tcpFds).as("HTTP connection growth; %s", report).isLessThanOrEqualTo(TCP_ALLOWANCE);
        assertThat(end.rssKib - warm.rssKib).as("resident memory growth; %s", report)
                .isLessThanOrEqualTo(RSS_ALLOWANCE_KIB);
        // The JIT's code cache ("Code") keeps filling as more methods get compiled (+4.6 MiB over
        // the 200-unplug run), and its scratch memory ("Arena Chunk": the compilers' arenas, handed
        // back to the pool and freed by its cleaner a few seconds later) is whatever the compiler
        // is doing at the instant of the snapshot (-1.8 to +7.1 MiB between runs, more on a slower
        // machine whose JIT is still at work); neither is a leak, so both are left out.
        assertThat(nmtWithoutJit(end) - nmtWithoutJit(warm)).as("JVM native memory growth without the JIT's memory; %s",
                report).isLessThanOrEqualTo(NMT_ALLOWANCE_KIB);
        assertThat(service.alive()).isTrue();
    }

    private static long nmtWithoutJit(Resources r) {
        return r.nmtCommittedKib - r.nmt.getOrDefault("Code", 0L) - r.nmt.getOrDefault("Arena Chunk", 0L);
    }

    private static int otherFds(Resources r) {
        return r.fds - r.tcpFds;
    }

    /** Cycles {@code from} (inclusive) to {@code to} (exclusive), spread over the ports, each port in its own thread. */
    private void runCycles(List<String> ports, int from, int to, Map<Cut, Integer> outcomes) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(ports.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < ports.size(); p++) {
                String port = ports.get(p);
                int first = from + p;
                done.add(pool.submit(() -> {
                    for (int cycle = first; cycle < to; cycle += ports.size()) {
                        Cut cut = Cut.values()[cycle % Cut.values().length];
                        cycle(port, cut);
                        synchronized (outcomes) {
                            outcomes.merge(cut, 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One board pulled at {@code cut}, then a fresh board on the same port that must pass. */
    private void cycle(String port, Cut cut) {
        int before = api.jobsOn(port).size();
        SimulatedStm32 pulled = board(port, cut == Cut.UNPROTECT);
        Trigger trigger = new Trigger(pulled, cut);
        bridge.plugBoard(port, pulled, trigger);
        Job job = awaitFinished(port, before + 1);
        assertThat(trigger.fired).as("the %s cut fired on %s; job %s", cut, port, job).isTrue();
        assertThat(job.state()).as("%s on %s: %s", cut, port, job).isEqualTo(cut.state);
        assertThat(job.errorCode()).as("%s on %s: %s", cut, port, job).isEqualTo(cut.errorCode);
        assertThat(job.phase()).as("%s on %s: %s", cut, port, job).isEqualTo(cut.phase);
        assertThat(pulled.presence()).isEqualTo(SimulatedStm32.Presence.UNPLUGGED);
        awaitEmpty(port);

        SimulatedStm32 next = board(port, false);
        bridge.plugBoard(port, next);
        Job passed = awaitFinished(port, before + 2);
        assertThat(passed.state()).as("the board after the %s cut on %s: %s", cut, port, passed).isEqualTo("PASSED");
        assertThat(passed.usbSerial()).isEqualTo(next.serialNumber());
        for (Segment segment : blinky.segments()) {
            assertThat(next.memory(segment.address(), segment.length())).isEqualTo(segment.data());
        }
        assertThat(next.violations()).as("protocol violations of the board after the %s cut", cut).isEmpty();
        assertThat(next.presence()).isEqualTo(SimulatedStm32.Presence.APPLICATION);
        awaitEmpty(port);
    }

    /** A blank-ish board holding an "old program" in sector 0, so that ERASE has to erase. */
    private SimulatedStm32 board(String port, boolean readProtected) {
        int seed = seeds.incrementAndGet();
        byte[] old = new byte[1024];
        new Random(seed).nextBytes(old);
        return SimulatedStm32.builder(ChipProfile.STM32F407).seed(seed).portPath(port).readProtected(readProtected)
                .content(FLASH, old).build();
    }

    private void awaitEmpty(String port) {
        await("port " + port + " empty").atMost(JOB_LIMIT).pollInterval(POLL)
                .until(() -> !bridge.pluggedPorts().contains(port) && api.port(port).state().equals("EMPTY"));
    }

    /** Waits until the port has {@code count} jobs and the newest is final; returns it. */
    private Job awaitFinished(String port, int count) {
        List<Job> seen = new ArrayList<>();
        try {
            await("job " + count + " on " + port + " finished").atMost(JOB_LIMIT).pollInterval(POLL).until(() -> {
                List<Job> jobs = api.jobsOn(port);
                seen.clear();
                seen.addAll(jobs);
                return jobs.size() >= count && jobs.get(0).finished();
            });
        } catch (RuntimeException e) {
            throw new AssertionError("jobs on " + port + ": " + seen.stream().limit(3).toList() + "\nports: "
                    + api.ports() + "\n--- service log tail ---\n" + service.logTail(80)
                    + "\n--- bridge stderr tail ---\n" + bridge.stderrTail(), e);
        }
        assertThat(seen).as("jobs on %s", port).hasSize(count);
        return seen.get(0);
    }

    /**
     * Watches one board's requests (across its enumerations) and pulls it at the first request of
     * its cut: the board drops off the bus instead of answering that request.
     */
    static final class Trigger implements UnaryOperator<DfuTransport> {

        private final SimulatedStm32 board;
        private final Cut cut;
        private boolean classRequestSeen;
        private boolean writeSeen;
        private boolean verifySeen;
        private boolean leaveSent;
        volatile boolean fired;

        Trigger(SimulatedStm32 board, Cut cut) {
            this.board = board;
            this.cut = cut;
        }

        private synchronized void before(ControlSetup setup, byte[] out) {
            DfuRequest request = DfuRequest.fromCode(setup.bRequest());
            boolean dnload = request == DfuRequest.DNLOAD;
            int command = dnload && setup.wValue() == 0 && out.length > 0 ? out[0] & 0xFF : -1;
            boolean dataBlock = dnload && setup.wValue() >= 2 && out.length > 0;
            boolean upload = request == DfuRequest.UPLOAD && setup.wValue() >= 2;
            boolean matches = switch (cut) {
                case CONNECT -> !classRequestSeen;
                case IDENTIFY -> command == 0x21;
                case UNPROTECT -> command == 0x92;
                case ERASE -> command == 0x41;
                case WRITE -> dataBlock && !verifySeen;
                case VERIFY -> upload && writeSeen;
                case SERIALIZE -> dataBlock && verifySeen;
                case OPTION_BYTES -> command == 0x21 && out.length == 5 && pointer(out)
                        == ChipProfile.STM32F407.optionBytes().first().base();
                case LEAVE -> dnload && setup.wValue() >= 2 && out.length == 0;
                case AFTER_LEAVE -> leaveSent && request == DfuRequest.GETSTATUS;
            };
            classRequestSeen = true;
            writeSeen |= dataBlock;
            verifySeen |= upload && writeSeen;
            leaveSent |= dnload && setup.wValue() >= 2 && out.length == 0;
            if (matches && !fired) {
                fired = true;
                board.inject(new Fault.DisconnectAtRequest(board.controlTransferCount() + 1, false));
            }
        }

        private static long pointer(byte[] command) {
            return (command[1] & 0xFFL) | (command[2] & 0xFFL) << 8 | (command[3] & 0xFFL) << 16
                    | (command[4] & 0xFFL) << 24;
        }

        @Override
        public DfuTransport apply(DfuTransport backend) {
            return new DfuTransport() {
                @Override
                public UsbDeviceInfo deviceInfo() {
                    return backend.deviceInfo();
                }

                @Override
                public List<DfuAltSetting> altSettings() {
                    return backend.altSettings();
                }

                @Override
                public DfuFunctionalDescriptor functionalDescriptor() {
                    return backend.functionalDescriptor();
                }

                @Override
                public void selectAltSetting(int alternateSetting) {
                    backend.selectAltSetting(alternateSetting);
                }

                @Override
                public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
                    before(setup, data);
                    backend.controlOut(setup, data, timeout);
                }

                @Override
                public byte[] controlIn(ControlSetup setup, Duration timeout) {
                    before(setup, new byte[0]);
                    return backend.controlIn(setup, timeout);
                }

                @Override
                public void close() {
                    backend.close();
                }
            };
        }
    }

    /**
     * What the service process holds, from {@code /proc/<pid>} and NMT ({@code jcmd}). Descriptors
     * are split into TCP sockets (the HTTP connections of this test's clients, bounded by their
     * threads) and all others (device nodes, which under umockdev are unix sockets, files, pipes).
     */
    record Resources(int threads, int fds, int tcpFds, long rssKib, long nmtCommittedKib, Map<String, Long> nmt) {

        private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
        private static final Pattern NMT_CATEGORY =
                Pattern.compile("-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

        static Resources of(long pid) {
            try {
                // NMT first: the first attach starts the JVM's "Attach Listener" thread, which both
                // snapshots must then count alike.
                String nmtOut = nmt(pid);
                Matcher total = NMT_TOTAL.matcher(nmtOut);
                if (!total.find()) {
                    throw new IllegalStateException("no NMT total in jcmd output:\n" + nmtOut);
                }
                Map<String, Long> categories = new java.util.TreeMap<>();
                Matcher category = NMT_CATEGORY.matcher(nmtOut);
                while (category.find()) {
                    categories.put(category.group(1).strip(), Long.parseLong(category.group(3)));
                }
                Path proc = Path.of("/proc", Long.toString(pid));
                java.util.Set<String> tcpInodes = new java.util.HashSet<>();
                for (String table : List.of("tcp", "tcp6")) {
                    List<String> lines = Files.readAllLines(proc.resolve("net").resolve(table));
                    for (String line : lines.subList(1, lines.size())) {
                        String[] fields = line.strip().split("\\s+");
                        tcpInodes.add(fields[9]);
                    }
                }
                int fds = 0;
                int tcp = 0;
                try (Stream<Path> open = Files.list(proc.resolve("fd"))) {
                    for (Path fd : open.toList()) {
                        String target;
                        try {
                            target = Files.readSymbolicLink(fd).toString();
                        } catch (IOException closedMeanwhile) {
                            continue;
                        }
                        fds++;
                        if (target.startsWith("socket:[") && tcpInodes.contains(
                                target.substring("socket:[".length(), target.length() - 1))) {
                            tcp++;
                        }
                    }
                }
                List<String> status = Files.readAllLines(proc.resolve("status"));
                return new Resources((int) field(status, "Threads"), fds, tcp, field(status, "VmRSS"),
                        Long.parseLong(total.group(2)), categories);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static long field(List<String> status, String name) {
            return status.stream().filter(l -> l.startsWith(name + ":")).findFirst()
                    .map(l -> Long.parseLong(l.substring(name.length() + 1).replace("kB", "").strip()))
                    .orElseThrow(() -> new IllegalStateException("no " + name + " in /proc/<pid>/status"));
        }

        private static String nmt(long pid) throws IOException {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), "VM.native_memory", "summary")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return out;
        }

        /** NMT categories whose committed size changed from {@code before} to this snapshot, in KiB. */
        String nmtGrowthSince(Resources before) {
            StringBuilder out = new StringBuilder();
            nmt.forEach((name, kib) -> {
                long delta = kib - before.nmt.getOrDefault(name, 0L);
                if (delta != 0) {
                    out.append(out.length() == 0 ? "" : ", ").append(name).append(String.format(Locale.ROOT, " %+d", delta));
                }
            });
            return out.toString();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "threads %d, fds %d (%d TCP), RSS %d KiB, NMT committed %d KiB", threads,
                    fds, tcpFds, rssKib, nmtCommittedKib);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = UsbUnplugSoakIT.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " missing");
            }
            return in.readAllBytes();
        }
    }
}
