package com.flashline.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto broker of a test's own on a free port (the Debian package {@code mosquitto}), which
 * the test can stop and start again on the same port. Anonymous clients, and persistence, so that
 * a subscriber's session and its queued QoS 1 messages survive a restart as on a real broker
 * (run as the test's user, who owns the persistence directory: as root, mosquitto would
 * otherwise switch to the user {@code mosquitto}, who may not write there).
 */
public final class MosquittoBroker implements AutoCloseable {

    private final Path directory;
    private final int port;
    private Process process;

    private MosquittoBroker(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** Null when the mosquitto binary is on the PATH, else why the MQTT tests are skipped. */
    public static String unavailableReason() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "mosquitto"))) {
                return null;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/usr/local/sbin"}) {
            if (Files.isExecutable(Path.of(dir, "mosquitto"))) {
                return null;
            }
        }
        return "MQTT tests skipped: the mosquitto binary is not installed (Debian package mosquitto)";
    }

    public static MosquittoBroker startOnFreePort() {
        try {
            Path directory = Files.createTempDirectory("mosquitto-test");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Files.writeString(directory.resolve("mosquitto.conf"), """
                    listener %d 127.0.0.1
                    allow_anonymous true
                    persistence true
                    persistence_location %s/
                    user %s
                    """.formatted(port, directory, System.getProperty("user.name")));
            MosquittoBroker broker = new MosquittoBroker(directory, port);
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts the broker unless it runs. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(binary(), "-c", directory.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("mosquitto.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(10)).until(this::accepts);
    }

    /** Stops the broker (SIGTERM: it saves its sessions) and waits until it is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String binary() {
        for (String dir : new String[] {"/usr/sbin", "/usr/local/sbin", "/usr/bin"}) {
            if (Files.isExecutable(Path.of(dir, "mosquitto"))) {
                return Path.of(dir, "mosquitto").toString();
            }
        }
        return "mosquitto";
    }
}
