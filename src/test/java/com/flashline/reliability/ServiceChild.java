package com.flashline.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One FlashLine service as a child JVM ({@link KillHarnessChild} on the test's own class path),
 * killed with SIGKILL by {@link #kill()}. Every child started is also killed by a JVM shutdown hook
 * of the test JVM, so none outlives a test run that dies; only children this class started are
 * ever killed. Output goes to {@code target/reliability/<name>.log}.
 */
final class ServiceChild implements AutoCloseable {

    static final String ADMIN_PASSWORD = "killtest-" + Long.toHexString(System.nanoTime());
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(300);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "killtest-reaper"));
    }

    private final Process process;
    private final Path log;
    private final URI base;

    private ServiceChild(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /** Starts a child with {@code properties} ({@code --key=value}) and waits until its health answers. */
    static ServiceChild start(String name, Map<String, String> properties) {
        int port = freePort();
        Path logDir = Path.of(System.getProperty("user.dir"), "target", "reliability");
        Path log = logDir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Failsafe runs the tests through a manifest-only jar; its real class path is this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-XX:+UseSerialGC", "-Xmx256m", "-cp", classPath, KillHarnessChild.class.getName(),
                "--spring.config.location=classpath:/", "--server.port=" + port));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        Process process;
        try {
            Files.createDirectories(logDir);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("FLASHLINE_SECURITY_ADMIN_PASSWORD", ADMIN_PASSWORD);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the service child " + name, e);
        }
        LIVE.add(process);
        ServiceChild child = new ServiceChild(process, log, URI.create("http://127.0.0.1:" + port));
        try {
            child.awaitHealthy();
            return child;
        } catch (RuntimeException | Error e) {
            child.close();
            throw e;
        }
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    /**
     * {@code kill -9}: {@link Process#destroyForcibly()} sends SIGKILL on Linux (the JDK's
     * ProcessImpl), which the exit status 137 = 128 + 9 confirms.
     *
     * @return the exit status
     */
    int kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the child did not die of SIGKILL within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(base.resolve("/actuator/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            await("the child's /actuator/health").atMost(STARTUP_LIMIT).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsMatching(e -> e instanceof IOException)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the service exited with " + process.exitValue());
                        }
                        return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            throw new IllegalStateException("the service child did not become healthy: " + e.getMessage()
                    + "\n--- last lines of " + log + " ---\n" + logTail(80), e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        LIVE.remove(process);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port", e);
        }
    }
}
