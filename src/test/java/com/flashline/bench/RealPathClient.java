package com.flashline.bench;

import com.flashline.rom.PollPolicyChoice;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's handle on one {@link RealPathClientMain} child JVM: sends commands, follows its
 * arrival events and parses its results.
 */
final class RealPathClient implements AutoCloseable {

    /** One job as the client timed it. */
    record Job(long nanos, long erased, long written, long verified, String policy, Map<String, Long> phaseNanos) {
    }

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Writer commands;
    private final Path stderr;
    private final List<String> results = new ArrayList<>();
    private final Set<String> arrivals = new HashSet<>();
    private boolean ready;
    private boolean ended;

    private RealPathClient(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readEvents, "realpath-client-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the client JVM with this JVM's class path and the bridge's environment, and waits until its watcher runs. */
    static RealPathClient start(Map<String, String> bridgeEnvironment, Path workDir) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), RealPathClientMain.class.getName());
        Path stderr = workDir.resolve("client-stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().putAll(bridgeEnvironment);
        try {
            RealPathClient client = new RealPathClient(builder.start(), stderr);
            client.await(() -> client.ready, "the client's ready line");
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the realpath client JVM", e);
        }
    }

    /** Waits until the client's watcher has reported {@code serial} on {@code port}. */
    void awaitArrival(String port, String serial) {
        await(() -> arrivals.contains(port + " " + serial), "arrival of " + serial + " on " + port);
    }

    /** Runs one job on the board {@code serial} at {@code port}, polled with {@code policy}; throws if it did not pass. */
    Job flash(String port, String serial, Path image, PollPolicyChoice policy) {
        int before;
        synchronized (this) {
            before = results.size();
        }
        send("flash " + port + " " + serial + " " + image + " " + policy);
        await(() -> results.size() > before, "the result of flashing " + port);
        String line;
        synchronized (this) {
            line = results.get(before);
        }
        if (!line.startsWith("result ok ")) {
            throw new IllegalStateException("FlashLine's job on " + port + " failed: " + line);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String word : line.substring("result ok ".length()).split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                fields.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        for (String phase : fields.getOrDefault("phases", "").split(",")) {
            int colon = phase.indexOf(':');
            if (colon > 0) {
                phases.merge(phase.substring(0, colon), Long.parseLong(phase.substring(colon + 1)), Long::sum);
            }
        }
        return new Job(Long.parseLong(fields.get("nanos")), Long.parseLong(fields.get("erased")),
                Long.parseLong(fields.get("written")), Long.parseLong(fields.get("verified")), fields.get("policy"),
                phases);
    }

    private void send(String line) {
        try {
            commands.write(line + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the realpath client does not take commands" + stderrTail(), e);
        }
    }

    private void readEvents() {
        try (BufferedReader in = process.inputReader(StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (this) {
                    if (line.equals("ready")) {
                        ready = true;
                    } else if (line.startsWith("arrived ")) {
                        arrivals.add(line.substring("arrived ".length()).replace("serial=", ""));
                    } else if (line.startsWith("result ")) {
                        results.add(line);
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended; ended below wakes the waiters
        }
        synchronized (this) {
            ended = true;
            notifyAll();
        }
    }

    private interface Condition {
        boolean holds();
    }

    private synchronized void await(Condition condition, String what) {
        long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        while (!condition.holds()) {
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                throw new IllegalStateException("no " + what + " from the realpath client ("
                        + (ended ? "it ended" : "timed out after " + REPLY_TIMEOUT) + ")" + stderrTail());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private String stderrTail() {
        try {
            List<String> lines = Files.readAllLines(stderr);
            return "; its stderr ends with:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            send("quit");
        } catch (UncheckedIOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
