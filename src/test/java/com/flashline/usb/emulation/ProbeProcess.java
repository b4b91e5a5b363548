package com.flashline.usb.emulation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running {@link UsbProbeMain} with the umockdev bridge's environment and this JVM's
 * class path: the only way to put the real usb4java path in front of the emulated devices.
 */
public final class ProbeProcess implements AutoCloseable {

    /** How long to wait for a line before declaring the child stuck; a hang guard, not a timing assertion. */
    private static final Duration LINE_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final PrintWriter commands;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    private ProbeProcess(Process process) {
        this.process = process;
        this.commands = new PrintWriter(process.outputWriter(StandardCharsets.UTF_8), true);
        pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
        pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
    }

    public static ProbeProcess start(Map<String, String> bridgeEnvironment, Duration rescanInterval) {
        return start(bridgeEnvironment, rescanInterval, List.of());
    }

    public static ProbeProcess start(Map<String, String> bridgeEnvironment, Duration rescanInterval,
            List<String> jvmOptions) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Xmx64m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.add(UsbProbeMain.class.getName());
        command.add(Long.toString(rescanInterval.toMillis()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(bridgeEnvironment);
        try {
            return new ProbeProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the probe JVM", e);
        }
    }

    public void send(String command) {
        synchronized (transcript) {
            transcript.add("> " + command);
        }
        commands.println(command);
    }

    /** Sends a command and returns its result line ({@code ok COMMAND PORT ...} or {@code error COMMAND PORT ...}). */
    public String call(String command) {
        send(command);
        String[] w = command.split(" ");
        String prefix = w[0] + " " + (w.length > 1 ? w[1] : "-");
        return await(l -> l.startsWith("ok " + prefix) || l.startsWith("error " + prefix), command);
    }

    /** The next line matching {@code wanted}; lines before it are dropped. */
    public String await(Predicate<String> wanted, String what) {
        long deadline = System.nanoTime() + LINE_WAIT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("probe never printed " + what + "\n" + diagnostics());
                }
                if (wanted.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }

    public String awaitPrefix(String prefix) {
        return await(l -> l.startsWith(prefix), "'" + prefix + "'");
    }

    public String diagnostics() {
        synchronized (transcript) {
            return "transcript:\n" + String.join("\n", transcript) + "\nstderr:\n" + stderr;
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            send("quit");
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void pump(BufferedReader reader, boolean stdout) {
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (transcript) {
                        if (stdout) {
                            transcript.add(line);
                        } else {
                            stderr.append(line).append('\n');
                        }
                    }
                    if (stdout) {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // child ended
            }
        }, stdout ? "probe-stdout" : "probe-stderr");
        t.setDaemon(true);
        t.start();
    }
}
