package com.flashline.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The FlashLine service in a child JVM, so that its own CPU time and resident memory can be read
 * from {@code /proc/<pid>}. The child runs {@code com.flashline.FlashLineApplication} from this
 * JVM's class path minus the test classes and test-only jars (component scanning would otherwise
 * pick up test configurations such as the tests' gated clock), in its own working directory (so
 * the repository's example {@code ./config/application.yml} is not read), bound to 127.0.0.1, with
 * a random password for its {@code admin} ({@link #adminPassword()}).
 */
final class ServiceProcess implements AutoCloseable {

    /** Jars and folders on the launcher's class path that the service must not see. */
    private static final Pattern TEST_ONLY = Pattern.compile(
            "test|junit|jmh|assertj|mockito|awaitility|hamcrest|xmlunit|jsonassert|apiguardian|objenesis"
                    + "|byte-buddy-agent|jopt-simple|commons-math3");

    static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    private final Process process;
    private final int port;
    private final Path log;
    private final String adminPassword;

    private ServiceProcess(Process process, int port, Path log, String adminPassword) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.adminPassword = adminPassword;
    }

    /**
     * Starts the service with {@code jvmOptions} and the Spring {@code properties} (as
     * {@code --key=value} arguments, which win over every packaged file) and waits until it answers.
     */
    static ServiceProcess start(String name, List<String> jvmOptions, Map<String, String> properties, Duration startTimeout)
            throws IOException, InterruptedException {
        return start(name, jvmOptions, properties, startTimeout, null);
    }

    /**
     * {@link #start(String, List, Map, Duration)} with the service's own classes taken from
     * {@code otherClasses} (another build's {@code target/classes}, with the same dependencies)
     * instead of this build's; null for this build's.
     */
    static ServiceProcess start(String name, List<String> jvmOptions, Map<String, String> properties, Duration startTimeout,
            Path otherClasses) throws IOException, InterruptedException {
        Path workDir = Path.of("target", "bench", "service", name).toAbsolutePath();
        Files.createDirectories(workDir);
        Path log = workDir.resolve("service.log");
        int port = freeLoopbackPort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(serviceClassPath(otherClasses));
        command.add("com.flashline.FlashLineApplication");
        command.add("--server.address=127.0.0.1");
        command.add("--server.port=" + port);
        command.add("--spring.main.banner-mode=off");
        String adminPassword = "bench-" + UUID.randomUUID();
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("FLASHLINE_SECURITY_ADMIN_PASSWORD", adminPassword);
        ServiceProcess service = new ServiceProcess(builder.start(), port, log, adminPassword);
        try {
            service.awaitReady(startTimeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The password of the service's user {@code admin} (role ADMIN). */
    String adminPassword() {
        return adminPassword;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** User plus system CPU time the child has used so far ({@code /proc/<pid>/stat} utime + stime). */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return (utime + stime) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /**
     * CPU seconds used so far by the child's live threads, summed by thread name with its digits
     * replaced by {@code #} ({@code flash-worker-#}, {@code http-nio-#.#.}, {@code C# CompilerThre},
     * {@code VM Thread}; Linux keeps 15 characters of a name): where the process's CPU goes. Threads
     * that have ended are missing here but counted in {@link #cpuSeconds()}.
     */
    Map<String, Double> cpuSecondsByThreadGroup() throws IOException {
        Map<String, Double> byGroup = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
                byGroup.merge(name, seconds, Double::sum);
            }
        }
        return byGroup;
    }

    /** The CPU seconds of the thread groups (as {@link #cpuSecondsByThreadGroup} names them) that {@code group} accepts. */
    static double cpuSecondsOf(Map<String, Double> byThreadGroup, Predicate<String> group) {
        return byThreadGroup.entrySet().stream().filter(e -> group.test(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }

    /** Peak resident set size of the child so far ({@code VmHWM}), in bytes. */
    long peakRssBytes() throws IOException {
        return statusKibibytes("VmHWM") * 1024;
    }

    /** Current resident set size ({@code VmRSS}), in bytes. */
    long rssBytes() throws IOException {
        return statusKibibytes("VmRSS") * 1024;
    }

    private long statusKibibytes(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
            }
        }
        throw new IOException("no " + field + " in /proc/" + pid() + "/status");
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(baseUri().resolve("/actuator/health")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the service exited with " + process.exitValue() + " during start-up; log: "
                        + log + "\n" + tail());
            }
            try {
                if (client.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            // Polling a child process that is starting; there is nothing to wait on but time.
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IOException("the service did not answer within " + timeout + "; log: " + log + "\n" + tail());
    }

    /** The last lines of the service log, for error messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String serviceClassPath(Path otherClasses) {
        Path ownClasses = Path.of("target", "classes").toAbsolutePath();
        List<Path> entries = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .filter(entry -> !TEST_ONLY.matcher(Path.of(entry).getFileName().toString()).find())
                // The child runs in its own working directory.
                .map(entry -> Path.of(entry).toAbsolutePath())
                .toList();
        if (otherClasses != null) {
            if (!Files.isDirectory(otherClasses.resolve("com/flashline")) || !entries.contains(ownClasses)) {
                throw new IllegalArgumentException("cannot run the classes of " + otherClasses + " instead of "
                        + ownClasses + ": one of them is not a build's target/classes on this class path");
            }
            entries = entries.stream().map(entry -> entry.equals(ownClasses) ? otherClasses.toAbsolutePath() : entry).toList();
        }
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (getconf.waitFor() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the Linux default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
