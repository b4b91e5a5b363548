package com.flashline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, which it may stop and start: {@code initdb} in a
 * temporary directory, {@code pg_ctl} on a free port of 127.0.0.1, trust authentication for
 * {@code postgres}. Never the machine's shared server. Run as root (CI containers), the server
 * runs as the {@code postgres} user through {@code runuser}, since PostgreSQL refuses root.
 * The binaries are looked for in {@code FLASHLINE_TEST_PG_BIN}, then the newest Debian
 * {@code /usr/lib/postgresql/N/bin}, then the PATH.
 */
public final class ThrowawayPostgres implements AutoCloseable {

    public static final String BIN_VARIABLE = "FLASHLINE_TEST_PG_BIN";
    private static final Path DEBIAN = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;

    private ThrowawayPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Null when a cluster can be made here, else why not. */
    public static String unavailableReason() {
        if (binaries().isEmpty()) {
            return "no PostgreSQL server binaries (initdb, pg_ctl): install the Debian package postgresql,"
                    + " or set " + BIN_VARIABLE;
        }
        return null;
    }

    /** A new cluster, started; skipped (failed under CI=true) when PostgreSQL is not installed. */
    public static ThrowawayPostgres start() {
        Prerequisites.require(unavailableReason());
        Path bin = binaries().orElseThrow();
        try {
            Path dir = Files.createTempDirectory("flashline-pg-");
            boolean root = "root".equals(System.getProperty("user.name"));
            ThrowawayPostgres pg = new ThrowawayPostgres(bin, dir, freePort(), root);
            if (root) {
                run(List.of("chown", "postgres:", dir.toString()));
            }
            pg.runPg(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-sync"));
            pg.startServer();
            // A test JVM that ends without close() (a failure before @AfterAll, SIGTERM) still
            // stops its server; only SIGKILL can leave one behind, in its temporary directory.
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "throwaway-postgres-" + pg.port));
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public int port() {
        return port;
    }

    /** Starts the server again (on the same port and data) and returns once it accepts connections. */
    public void startServer() {
        runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "120", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"));
    }

    /** Stops the server the way an operator's restart does: open sessions are ended, then it shuts down. */
    public void stopServer() {
        runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "120",
                "stop"));
    }

    /** The server's log, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (!Files.exists(data)) {
            return; // closed already
        }
        try {
            runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        } catch (RuntimeException stoppedAlready) {
            // not running: nothing to stop
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not a test failure
        }
    }

    private void runPg(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> binaries() {
        String configured = System.getenv(BIN_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(ThrowawayPostgres::hasServer);
        }
        if (Files.isDirectory(DEBIAN)) {
            try (Stream<Path> versions = Files.list(DEBIAN)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin")).filter(ThrowawayPostgres::hasServer)
                        .max(Comparator.comparingInt(ThrowawayPostgres::version));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                // fall through to the PATH
            }
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(p -> !p.isEmpty()).map(Path::of).filter(ThrowawayPostgres::hasServer).findFirst();
    }

    private static boolean hasServer(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
