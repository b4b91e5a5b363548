package com.flashline.usb.emulation;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuTransport;
import com.flashline.sim.DisconnectReason;
import com.flashline.sim.SimulatedStm32;
import com.flashline.usb.PortPath;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Emulated USB DFU devices for any libusb program, backed by Java {@link DfuTransport}s.
 *
 * <p>Starts {@code umockdev-wrapper /usr/bin/python3 src/test/umockdev/dfu_bridge.py}, which owns a
 * umockdev testbed and turns the usbdevfs ioctls of client processes into frames on its stdout;
 * this class answers them through an {@link EmulatedDevice} per plugged port, on one thread per
 * device, so a backend that holds a request (an erase) never delays the others. Clients see the
 * devices only when started with {@link #environment()}.
 *
 * <p>Frames, both directions: {@code u32 length (big-endian)}, then {@code u8 type} and the fields
 * below; {@code str} is {@code u16 length + UTF-8}, {@code bytes} is {@code u32 length + bytes}.
 * <pre>
 * python → Java  READY  0x80  str testbedDir, str ldPreload
 *                ADDED  0x81  u32 requestId, str portPath, u16 bus, u16 address, str sysfsPath, str devNode
 *                REMOVED 0x82 u32 requestId, str portPath
 *                FAILED 0x8F  u32 requestId, str message
 *                URB    0x10  u32 answerId, str portPath, u8 endpoint, 8 bytes SETUP, bytes outData
 *                SET_INTERFACE 0x11 u32 answerId, str portPath, u16 interface, u16 alt
 * Java → python  ADD    0x01  u32 requestId, str portPath, str speed, bytes descriptors (device + config)
 *                REMOVE 0x02  u32 requestId, str portPath
 *                DONE   0x03  u32 answerId, i32 status (0 or -errno), bytes inData
 *                SHUTDOWN 0x04
 * </pre>
 * An URB the device never answers (backend timeout) gets no DONE; the client discards it.
 */
public final class UmockdevBridge implements AutoCloseable {

    static final int ADD = 0x01;
    static final int REMOVE = 0x02;
    static final int DONE = 0x03;
    static final int SHUTDOWN = 0x04;
    static final int READY = 0x80;
    static final int ADDED = 0x81;
    static final int REMOVED = 0x82;
    static final int FAILED = 0x8F;
    static final int URB = 0x10;
    static final int SET_INTERFACE = 0x11;

    /** Where a client finds the emulated device and how it was numbered. */
    public record PluggedDevice(String portPath, int busNumber, int deviceAddress, String sysfsPath,
            String deviceNode) {
    }

    private record Plugged(PluggedDevice device, EmulatedDevice emulation, ExecutorService worker) {
    }

    public static final String PYTHON = "/usr/bin/python3";
    public static final String WRAPPER = "umockdev-wrapper";
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);
    private static final int STDERR_LINES_KEPT = 40;
    private static volatile Optional<String> unavailable;

    private final Process process;
    private final DataOutputStream toPython;
    private final DataInputStream fromPython;
    private final Map<Integer, CompletableFuture<DataInputStream>> replies = new ConcurrentHashMap<>();
    private final Map<String, Plugged> plugged = new ConcurrentHashMap<>();
    private final AtomicInteger requestIds = new AtomicInteger();
    private final CompletableFuture<Map<String, String>> ready = new CompletableFuture<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final ExecutorService boardFollower = Executors.newSingleThreadExecutor(r -> daemon(r, "umockdev-board-follower"));
    private volatile boolean closing;

    private UmockdevBridge(Process process) {
        this.process = process;
        this.toPython = new DataOutputStream(process.getOutputStream());
        this.fromPython = new DataInputStream(process.getInputStream());
        daemon(this::readFrames, "umockdev-bridge-reader").start();
        daemon(this::drainStderr, "umockdev-bridge-stderr").start();
    }

    /**
     * Why the bridge cannot run on this machine, or empty when it can: needs {@code umockdev-wrapper}
     * on the PATH and {@value #PYTHON} with GObject introspection for UMockdev 1.0.
     */
    public static Optional<String> unavailableReason() {
        Optional<String> known = unavailable;
        if (known == null) {
            known = probe();
            unavailable = known;
        }
        return known;
    }

    /** Starts the bridge with the script in the source tree. */
    public static UmockdevBridge start() {
        unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("umockdev bridge unavailable: " + reason);
        });
        ProcessBuilder builder = new ProcessBuilder(WRAPPER, PYTHON, bridgeScript().toString());
        builder.environment().remove("LD_PRELOAD");
        try {
            UmockdevBridge bridge = new UmockdevBridge(builder.start());
            bridge.ready.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return bridge;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + WRAPPER, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the umockdev bridge", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("umockdev bridge did not start", e);
        }
    }

    /** The variables a client process needs to see the emulated devices: LD_PRELOAD and UMOCKDEV_DIR. */
    public Map<String, String> environment() {
        return ready.join();
    }

    /** Plugs a device described by its backend into {@code portPath} ({@code 1-4.2}); hubs on the way appear as needed. */
    public PluggedDevice plug(String portPath, DfuTransport backend) {
        return plug(portPath, DeviceSpec.of(backend), backend);
    }

    public PluggedDevice plug(String portPath, DeviceSpec spec, DfuTransport backend) {
        PortPath.parse(portPath);
        EmulatedDevice emulation = new EmulatedDevice(spec, backend);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> daemon(r, "emulated-" + portPath));
        Plugged entry = new Plugged(null, emulation, worker);
        if (plugged.putIfAbsent(portPath, entry) != null) {
            worker.shutdown();
            throw new IllegalStateException("port " + portPath + " already has a device");
        }
        try {
            DataInputStream reply = request(ADD, out -> {
                writeString(out, portPath);
                writeString(out, "12");
                writeBytes(out, emulation.sysfsDescriptors());
            });
            PluggedDevice device = new PluggedDevice(readString(reply), reply.readUnsignedShort(),
                    reply.readUnsignedShort(), readString(reply), readString(reply));
            plugged.put(portPath, new Plugged(device, emulation, worker));
            return device;
        } catch (IOException | RuntimeException e) {
            plugged.remove(portPath);
            worker.shutdownNow();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    /**
     * Plugs a simulated board and keeps the emulated device in step with it: when the board leaves
     * the bus (Leave, Read Unprotect, option-byte reset, {@link SimulatedStm32#unplug()}) its device
     * is unplugged, and when it enumerates again it is plugged back on the same port with a new
     * address and a fresh {@link SimulatedStm32#connect()} transport, as a real hub would show it.
     */
    public PluggedDevice plugBoard(String portPath, SimulatedStm32 board) {
        return plugBoard(portPath, board, UnaryOperator.identity());
    }

    /**
     * As {@link #plugBoard(String, SimulatedStm32)}, with every transport of the board (the first
     * and those of later enumerations) passed through {@code decorate}, e.g. a {@link RequestLog}.
     */
    public PluggedDevice plugBoard(String portPath, SimulatedStm32 board, UnaryOperator<DfuTransport> decorate) {
        board.addListener(new SimulatedStm32.Listener() {
            @Override
            public void disconnected(DisconnectReason reason) {
                boardFollower.execute(() -> {
                    afterAnswersInFlight(portPath);
                    if (plugged.containsKey(portPath)) {
                        unplug(portPath);
                    }
                });
            }

            @Override
            public void reenumerated() {
                boardFollower.execute(() -> {
                    afterAnswersInFlight(portPath);
                    if (plugged.containsKey(portPath)) {
                        unplug(portPath);
                    }
                    if (closing) {
                        return;
                    }
                    DfuTransport transport;
                    try {
                        transport = board.connect();
                    } catch (DeviceGoneException gone) {
                        return; // it left the bus again (unplugged) before it had enumerated
                    }
                    plug(portPath, decorate.apply(transport));
                });
            }
        });
        return plug(portPath, decorate.apply(board.connect()));
    }

    /**
     * Waits until the port's worker has sent the answer it is working on. A ROM that leaves the
     * bus because of a request (the GETSTATUS that starts Leave, Read Unprotect's reset) still
     * completes that request's status stage first; unplugging before the answer went out would
     * make the host see the request fail instead.
     */
    private void afterAnswersInFlight(String portPath) {
        Plugged entry = plugged.get(portPath);
        if (entry == null) {
            return;
        }
        try {
            entry.worker().submit(() -> { }).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException | ExecutionException | TimeoutException e) {
            // the worker is gone or stuck in a backend call: unplug anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Unplugs the device on {@code portPath}: clients see a remove event, pending and later transfers fail with "no device". */
    public void unplug(String portPath) {
        Plugged entry = plugged.remove(portPath);
        if (entry == null) {
            throw new IllegalStateException("no device plugged at " + portPath);
        }
        entry.worker().shutdownNow();
        request(REMOVE, out -> writeString(out, portPath));
    }

    public Set<String> pluggedPorts() {
        return Set.copyOf(plugged.keySet());
    }

    /** The last lines the bridge wrote to stderr, for failure messages. */
    public String stderrTail() {
        synchronized (stderrTail) {
            return String.join("\n", stderrTail);
        }
    }

    @Override
    public void close() {
        closing = true;
        boardFollower.shutdownNow();
        plugged.values().forEach(p -> p.worker().shutdownNow());
        plugged.clear();
        try {
            send(SHUTDOWN, out -> { });
            toPython.close();
        } catch (RuntimeException | IOException ignored) {
            // the bridge already went away
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private interface FrameBody {
        void write(DataOutputStream out) throws IOException;
    }

    private DataInputStream request(int type, FrameBody body) {
        int id = requestIds.incrementAndGet();
        CompletableFuture<DataInputStream> reply = new CompletableFuture<>();
        replies.put(id, reply);
        try {
            send(type, out -> {
                out.writeInt(id);
                body.write(out);
            });
            return reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the umockdev bridge", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("umockdev bridge refused: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("umockdev bridge did not answer; stderr:\n" + stderrTail(), e);
        } finally {
            replies.remove(id);
        }
    }

    private void send(int type, FrameBody body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream frame = new DataOutputStream(bytes)) {
            frame.writeByte(type);
            body.write(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (toPython) {
            try {
                toPython.writeInt(bytes.size());
                bytes.writeTo(toPython);
                toPython.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("umockdev bridge is gone; stderr:\n" + stderrTail(), e);
            }
        }
    }

    private void readFrames() {
        try {
            while (true) {
                byte[] frame = new byte[fromPython.readInt()];
                fromPython.readFully(frame);
                DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(frame));
                int type = in.readUnsignedByte();
                switch (type) {
                    case READY -> ready.complete(Map.of("UMOCKDEV_DIR", readString(in), "LD_PRELOAD", readString(in)));
                    case ADDED, REMOVED -> complete(in.readInt(), in);
                    case FAILED -> {
                        int id = in.readInt();
                        CompletableFuture<DataInputStream> reply = replies.get(id);
                        if (reply != null) {
                            reply.completeExceptionally(new IllegalStateException(readString(in)));
                        }
                    }
                    case URB -> onUrb(in);
                    case SET_INTERFACE -> onSetInterface(in);
                    default -> throw new IOException("unknown frame type " + type);
                }
            }
        } catch (EOFException e) {
            if (!closing) {
                failAll("umockdev bridge exited; stderr:\n" + stderrTail());
            }
        } catch (IOException e) {
            failAll("umockdev bridge stream broke: " + e);
        }
    }

    private void complete(int id, DataInputStream in) {
        CompletableFuture<DataInputStream> reply = replies.get(id);
        if (reply != null) {
            reply.complete(in);
        }
    }

    private void failAll(String message) {
        ready.completeExceptionally(new IllegalStateException(message));
        replies.values().forEach(r -> r.completeExceptionally(new IllegalStateException(message)));
    }

    private void onUrb(DataInputStream in) throws IOException {
        int answerId = in.readInt();
        String portPath = readString(in);
        in.readUnsignedByte(); // endpoint: always 0 for control URBs
        byte[] setupBytes = in.readNBytes(8);
        byte[] outData = readBytes(in);
        ControlSetup setup = new ControlSetup(setupBytes[0] & 0xFF, setupBytes[1] & 0xFF, u16(setupBytes, 2),
                u16(setupBytes, 4), u16(setupBytes, 6));
        onDevice(portPath, answerId, emulation -> emulation.answer(setup, outData));
    }

    private void onSetInterface(DataInputStream in) throws IOException {
        int answerId = in.readInt();
        String portPath = readString(in);
        int iface = in.readUnsignedShort();
        int alt = in.readUnsignedShort();
        onDevice(portPath, answerId, emulation -> EmulatedDevice.Answer.status(emulation.selectAltSetting(iface, alt)));
    }

    private void onDevice(String portPath, int answerId, java.util.function.Function<EmulatedDevice, EmulatedDevice.Answer> work) {
        Plugged entry = plugged.get(portPath);
        if (entry == null) {
            answer(answerId, EmulatedDevice.Answer.status(EmulatedDevice.NO_DEVICE));
            return;
        }
        try {
            entry.worker().execute(() -> {
                EmulatedDevice.Answer a = work.apply(entry.emulation());
                if (a.answered() && plugged.get(portPath) == entry) {
                    answer(answerId, a);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            answer(answerId, EmulatedDevice.Answer.status(EmulatedDevice.NO_DEVICE));
        }
    }

    private void answer(int answerId, EmulatedDevice.Answer a) {
        try {
            send(DONE, out -> {
                out.writeInt(answerId);
                out.writeInt(a.status());
                writeBytes(out, a.data());
            });
        } catch (UncheckedIOException e) {
            if (!closing) {
                throw e;
            }
        }
    }

    private void drainStderr() {
        try (var reader = process.errorReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > STDERR_LINES_KEPT) {
                        stderrTail.removeFirst();
                    }
                }
                if (Boolean.getBoolean("flashline.umockdev.verbose")) {
                    System.err.println("[umockdev] " + line);
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    private static Optional<String> probe() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return Optional.of(PYTHON + " not found");
        }
        boolean wrapperFound = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, WRAPPER))) {
                wrapperFound = true;
            }
        }
        if (!wrapperFound) {
            return Optional.of(WRAPPER + " not on PATH (Debian package umockdev)");
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c",
                    "import gi; gi.require_version('UMockdev', '1.0'); from gi.repository import UMockdev")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                return Optional.of(PYTHON + " cannot import UMockdev through gi (packages python3-gi, "
                        + "gir1.2-umockdev-1.0): " + output.strip());
            }
        } catch (IOException e) {
            return Optional.of("cannot run " + PYTHON + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing " + PYTHON);
        }
        if (!Files.isRegularFile(bridgeScript())) {
            return Optional.of("bridge script not found at " + bridgeScript());
        }
        return Optional.empty();
    }

    /** The python half, found from the project directory Maven runs tests in. */
    static Path bridgeScript() {
        String override = System.getProperty("flashline.umockdev.bridge");
        if (override != null) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.dir"), "src", "test", "umockdev", "dfu_bridge.py");
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readUnsignedShort()), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        return in.readNBytes(in.readInt());
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
