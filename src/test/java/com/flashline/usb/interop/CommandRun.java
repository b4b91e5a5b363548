package com.flashline.usb.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A finished external command (dfu-util, a FlashLine child JVM) run with the umockdev bridge's
 * environment, with its exit code and its stdout and stderr merged in order.
 */
public record CommandRun(List<String> command, int exitCode, String output) {

    /** A hang guard only: every interop command finishes in a few seconds. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(90);

    public static CommandRun run(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        try {
            if (!process.waitFor(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + HANG_GUARD);
            }
            return new CommandRun(List.copyOf(command), process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } catch (Exception e) {
            throw new AssertionError("no output from " + command, e);
        }
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    public List<String> lines() {
        return output.lines().toList();
    }

    /** The {@code result ...} line of a {@link FlashProbeMain} run, or empty. */
    public String result() {
        return lines().stream().filter(l -> l.startsWith("result ")).reduce((a, b) -> b).orElse("");
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " → exit " + exitCode + "\n" + output;
    }
}
