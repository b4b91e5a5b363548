package com.flashline.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/flashline-*.jar}) running as a child process, the way a station
 * runs it, but with the umockdev bridge's environment so its libusb sees the emulated bus.
 *
 * <p>The child gets its own temp working directory (so {@code ./config} and {@code ./data} of the
 * repository are out of reach), an in-memory H2 database, a free HTTP port and
 * {@code --spring.config.location=classpath:/} (only the jar's built-in defaults). Its output goes to
 * {@code target/e2e/<name>.log}; the last lines are quoted when it dies or never becomes healthy.
 * A JVM shutdown hook destroys it if the test JVM exits without {@link #close()}. The service's
 * {@code admin} gets a random password through {@code FLASHLINE_SECURITY_ADMIN_PASSWORD}, as an
 * installation would give it ({@link #adminPassword()}).
 */
final class PackagedJar implements AutoCloseable {

    // Generous: on a machine shared by several builds the demo took more than 90 s to start.
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(240);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Process process;
    private final Path log;
    private final URI baseUri;
    private final String adminPassword;
    private final Thread shutdownHook;

    private PackagedJar(Process process, Path log, URI baseUri, String adminPassword) {
        this.process = process;
        this.log = log;
        this.baseUri = baseUri;
        this.adminPassword = adminPassword;
        this.shutdownHook = new Thread(() -> destroyTree(process), "flashline-jar-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The single service jar Maven's {@code package} phase left in {@code target/}. */
    static Path locate() {
        Path target = Path.of(System.getProperty("user.dir"), "target");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "flashline-*.jar")) {
                found.forEach(jars::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (jars.size() != 1) {
            throw new IllegalStateException("expected exactly one target/flashline-*.jar, found " + jars
                    + "; these tests run in the integration-test phase: ./mvnw -B verify");
        }
        return jars.get(0);
    }

    /**
     * Starts the jar and waits until {@code /actuator/health} answers 200.
     *
     * @param environment   extra environment variables (the bridge's LD_PRELOAD and UMOCKDEV_DIR)
     * @param name          names the log file and the in-memory database
     * @param properties    {@code --key=value} arguments on top of the fixed ones
     */
    static PackagedJar start(Path jar, Map<String, String> environment, String name, Map<String, String> properties) {
        return start(jar, environment, name, properties, List.of());
    }

    /** As above, with extra options for the service's JVM (before {@code -jar}). */
    static PackagedJar start(Path jar, Map<String, String> environment, String name, Map<String, String> properties,
            List<String> jvmOptions) {
        int port = freePort();
        Path logDir = Path.of(System.getProperty("user.dir"), "target", "e2e");
        Path workDir;
        try {
            Files.createDirectories(logDir);
            workDir = Files.createTempDirectory("flashline-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = logDir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(),
                "--spring.config.location=classpath:/",
                "--server.port=" + port,
                "--spring.datasource.url=jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000"));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        String adminPassword = "e2e-" + UUID.randomUUID();
        builder.environment().put("FLASHLINE_SECURITY_ADMIN_PASSWORD", adminPassword);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
        PackagedJar started = new PackagedJar(process, log, URI.create("http://127.0.0.1:" + port),
                adminPassword);
        try {
            started.awaitHealthy();
            return started;
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
    }

    URI baseUri() {
        return baseUri;
    }

    /** The password of the service's user {@code admin} (role ADMIN). */
    String adminPassword() {
        return adminPassword;
    }

    Path log() {
        return log;
    }

    /** The service's process id, for reading its resources from {@code /proc/<pid>}. */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The last {@code lines} lines of the service's output, for failure messages. */
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
        HttpRequest health = HttpRequest.newBuilder(baseUri.resolve("/actuator/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            await("the packaged jar's /actuator/health").atMost(STARTUP_LIMIT).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsMatching(e -> e instanceof IOException)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the service exited with " + process.exitValue());
                        }
                        return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            throw new IllegalStateException("the packaged service did not become healthy: " + e.getMessage()
                    + "\n--- last lines of " + log + " ---\n" + logTail(60), e);
        }
    }

    /** Stops the service as systemd would (SIGTERM, then SIGKILL after a grace period) and waits for it. */
    @Override
    public void close() {
        destroyTree(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran
        }
    }

    private static void destroyTree(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port", e);
        }
    }
}
