package com.flashline.bench;

import com.flashline.firmware.Segment;
import com.flashline.firmware.TestFirmwareWriters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * {@code soak} (issue 16, row 7): the service (a child JVM, H2 file database) running
 * {@code bench.soak.jobs} (20,000) simulated jobs on {@code bench.soak.ports} (16) STM32F407 ports
 * at an accelerated time scale, the simulated operator replacing every finished board with a fresh
 * blank one. Every {@code bench.soak.window} (1,000) finished jobs it takes a snapshot of the
 * service: heap used after a full collection ({@code jcmd GC.run}, the figure from the collector's log),
 * threads and open file descriptors ({@code /proc/<pid>}), resident memory, the database's data
 * (what its tables and indexes take: H2's {@code DISK_SPACE_USED}, PostgreSQL's
 * {@code pg_total_relation_size}, asked over a connection of the benchmark's own) and the size of
 * its files; and per window of job ids the p99 of the job overhead. Prints the table and reports
 * the first and the last window side by side, and the database growth per 1,000 jobs
 * (least-squares slope of the data, with the largest deviation of any snapshot from that line).
 *
 * <p>H2's file is not its data: every commit writes a new chunk, and chunks are kept for
 * {@code RETENTION_TIME} (45 s) before their space is reused, so at this accelerated rate (about
 * 1,500 commits/s) the file runs far ahead of the data until the database is closed, when H2
 * compacts it. The benchmark reports the file's peak and, after the service has stopped, the file
 * after {@code SHUTDOWN COMPACT}.
 *
 * <p>Job overhead: what a job took from being queued to being final, minus the least time any job
 * of the run took from start to end (the device time at this scale plus the host's least work);
 * so it holds the queue wait, the database writes and whatever the service adds under load.
 *
 * <p>The job: 16 KiB − 256 bytes of random code at 0x08000000 (sector 0), sector erase, a 16-byte
 * serial record in the last 256 bytes of sector 0, verify, leave: every table a job writes
 * (job, job_phase, serial_assignment, audit_record) grows as on a line.
 *
 * <p>Settings ({@link BenchSettings}): {@code bench.soak.jobs} (20000), {@code bench.soak.ports}
 * (16), {@code bench.soak.window} (1000), {@code bench.soak.timeScale} (0.05),
 * {@code bench.soak.database} ({@code h2}: a file database, opened with {@code AUTO_SERVER} so the
 * benchmark can measure it; {@code postgres}: a fresh schema on the server of
 * {@code FLASHLINE_TEST_POSTGRES_URL}, dropped afterwards), plus the service JVM options of
 * {@link ScaleBenchmark#jvmOptions()}.
 */
public final class SoakBenchmark implements Benchmark {

    static final long FLASH = 0x0800_0000L;
    static final int IMAGE_BYTES = 16 * 1024 - 256;
    static final long SERIAL_ADDRESS = FLASH + IMAGE_BYTES;
    /** Serial GC's line for a collection that {@code jcmd GC.run} asked for: heap before -> after. */
    private static final Pattern FULL_GC = Pattern.compile("Pause Full \\((?:Diagnostic Command|System\\.gc\\(\\))\\) (\\d+)M->(\\d+)M");
    static final double HEAP_GROWTH_MIB = 16;
    static final double P99_RATIO = 1.5;
    private static final Duration STALL_LIMIT = Duration.ofMinutes(3);

    @Override
    public String name() {
        return "soak";
    }

    @Override
    public String description() {
        return "20,000 simulated jobs on 16 ports: heap after GC, threads, fds, p99 overhead per 1,000 jobs; database growth";
    }

    /** One snapshot of the service after {@code finished} jobs. */
    record Snapshot(long finished, double seconds, double heapMib, int threads, int fds, double rssMib, double dataMib,
            double fileMib) {
    }

    /** What the service recorded for one job. */
    record JobTimes(long id, String state, Instant queuedAt, Instant startedAt, Instant finishedAt) {
    }

    @Override
    public List<BenchResult> run() throws Exception {
        int jobs = BenchSettings.integer("bench.soak.jobs", 20_000);
        int ports = BenchSettings.integer("bench.soak.ports", 16);
        int window = BenchSettings.integer("bench.soak.window", 1_000);
        double timeScale = BenchSettings.decimal("bench.soak.timeScale", 0.05);
        if (jobs < 2 * window) {
            throw new IllegalArgumentException("bench.soak.jobs must be at least two windows (" + 2 * window + ")");
        }
        String name = "soak";
        Path workDir = Path.of("target", "bench", "service", name).toAbsolutePath();
        Path dbDir = workDir.resolve("db");
        deleteTree(dbDir);
        Files.createDirectories(dbDir);
        Map<String, String> properties = FlashBatches.serviceProperties(ports, timeScale);
        properties.put("flashline.simulator.replace-finished-after", "20ms");
        try (SoakDatabase database = SoakDatabase.of(BenchSettings.get("bench.soak.database", "h2"), dbDir)) {
            properties.putAll(database.serviceProperties());
            return run(name, properties, database, jobs, ports, window, timeScale);
        }
    }

    private List<BenchResult> run(String name, Map<String, String> properties, SoakDatabase database, int jobs,
            int ports, int window, double timeScale) throws Exception {
        properties.put("logging.level.com.flashline", "warn");

        List<Snapshot> snapshots = new ArrayList<>();
        Map<Long, JobTimes> seen = new HashMap<>();
        Map<String, Long> tables;
        long started = System.nanoTime();
        // Heap after collection from the collector's own log: GC.heap_info, asked after GC.run, also
        // counts what 16 busy workers allocated in between (tens of MiB).
        Path gcLog = Path.of("target", "bench", "service", name, "gc.log").toAbsolutePath();
        Files.deleteIfExists(gcLog);
        List<String> jvmOptions = new ArrayList<>(ScaleBenchmark.jvmOptions());
        jvmOptions.add("-Xlog:gc:file=" + gcLog);
        try (ServiceProcess service = ServiceProcess.start(name, jvmOptions, properties,
                Duration.ofMinutes(3))) {
            ServiceClient client = new ServiceClient(service);
            prepare(client);
            for (String port : FlashBatches.ports(ports)) {
                client.post("/api/v1/simulator/ports/" + port + "/board", 201);
            }
            System.out.printf(Locale.ROOT, "%8s %8s %10s %8s %6s %9s %10s %10s%n", "jobs", "wall s", "heap MiB",
                    "threads", "fds", "RSS MiB", "data MiB", "file MiB");
            long next = window;
            long lastProgress = System.nanoTime();
            long lastFinished = 0;
            while (next <= jobs) {
                long finished = finished(client);
                if (finished > lastFinished) {
                    lastFinished = finished;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL_LIMIT.toNanos()) {
                    throw new IOException("no job finished for " + STALL_LIMIT + " at " + finished + " jobs; log "
                            + service.log() + "\n" + service.tail());
                }
                if (finished < next) {
                    // Polling the service's counters; the figures come from the job records.
                    TimeUnit.MILLISECONDS.sleep(500);
                    continue;
                }
                collect(client, seen, 3);
                Snapshot s = snapshot(service, database, gcLog, finished, (System.nanoTime() - started) / 1e9);
                snapshots.add(s);
                System.out.printf(Locale.ROOT, "%8d %8.0f %10.1f %8d %6d %9.1f %10.2f %10.2f%n", s.finished(),
                        s.seconds(), s.heapMib(), s.threads(), s.fds(), s.rssMib(), s.dataMib(), s.fileMib());
                next += window;
            }
            collect(client, seen, 3);
            tables = database.tableBytes();
        }
        long jobsAtEnd = snapshots.get(snapshots.size() - 1).finished();
        System.out.println("data per table at the end (per 1,000 jobs):");
        tables.forEach((table, bytes) -> {
            if (bytes >= 10_240) { // the settings tables round to 0.00
                System.out.printf(Locale.ROOT, "  %-22s %10.2f MiB %10.3f MiB%n", table, bytes / 1048576.0,
                        bytes / 1048576.0 * 1000 / jobsAtEnd);
            }
        });
        long archivable = tables.getOrDefault("job", 0L) + tables.getOrDefault("job_phase", 0L);
        System.out.printf(Locale.ROOT, "  job + job_phase (what retention archives): %.1f %% of the data%n",
                100.0 * archivable / tables.values().stream().mapToLong(Long::longValue).sum());
        // The service has stopped: what the data takes once the database is compacted.
        double closedMib = database.closedFileMib();
        return results(snapshots, seen, jobs, window, ports, timeScale, database.kind(), closedMib);
    }

    private List<BenchResult> results(List<Snapshot> snapshots, Map<Long, JobTimes> seen, int jobs, int window,
            int ports, double timeScale, String databaseKind, double closedMib) {
        List<JobTimes> done = seen.values().stream().filter(j -> j.finishedAt() != null && j.startedAt() != null)
                .filter(j -> j.id() <= jobs).sorted(Comparator.comparingLong(JobTimes::id)).toList();
        double floorMs = done.stream().mapToDouble(j -> millis(j.startedAt(), j.finishedAt())).min().orElse(0);
        int windows = jobs / window;
        double[] p99 = new double[windows];
        long[] notPassed = new long[windows];
        for (int w = 0; w < windows; w++) {
            long from = (long) w * window + 1;
            long to = (long) (w + 1) * window;
            List<Double> overhead = new ArrayList<>();
            for (JobTimes j : done) {
                if (j.id() >= from && j.id() <= to) {
                    overhead.add(millis(j.queuedAt(), j.finishedAt()) - floorMs);
                    if (!j.state().equals("PASSED")) {
                        notPassed[w]++;
                    }
                }
            }
            p99[w] = overhead.isEmpty() ? Double.NaN : Stats.percentile(overhead, 99);
        }
        System.out.println("p99 job overhead per window of " + window + " job ids (floor " + String.format(Locale.ROOT,
                "%.1f", floorMs) + " ms = the fastest job's start-to-end):");
        for (int w = 0; w < windows; w++) {
            System.out.printf(Locale.ROOT, "  jobs %6d-%6d  p99 overhead %8.1f ms  not passed %d%n",
                    (long) w * window + 1, (long) (w + 1) * window, p99[w], notPassed[w]);
        }
        // Database growth: least squares over the snapshots, and how far any snapshot is off that line.
        double n = snapshots.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Snapshot s : snapshots) {
            sx += s.finished();
            sy += s.dataMib();
            sxx += (double) s.finished() * s.finished();
            sxy += s.finished() * s.dataMib();
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double intercept = (sy - slope * sx) / n;
        double maxDeviation = 0;
        for (Snapshot s : snapshots) {
            maxDeviation = Math.max(maxDeviation, Math.abs(s.dataMib() - (intercept + slope * s.finished())));
        }
        double perThousandMib = slope * 1000;
        // A year of a 64-port line at one board per port per minute.
        double yearJobs = 64.0 * 60 * 24 * 365;
        double yearGib = perThousandMib * yearJobs / 1000 / 1024;
        Snapshot first = snapshots.get(0);
        Snapshot last = snapshots.get(snapshots.size() - 1);
        double filePeakMib = snapshots.stream().mapToDouble(Snapshot::fileMib).max().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "database (%s) growth %.3f MiB of data per 1,000 jobs (largest snapshot deviation "
                + "from the line %.2f MiB); a year of 64 ports x 1 board/min = %.0f jobs = %.1f GiB%n", databaseKind,
                perThousandMib, maxDeviation, yearJobs, yearGib);
        System.out.printf(Locale.ROOT, "database files: peak %.1f MiB while running, %.1f MiB after the service "
                + "stopped%s%n", filePeakMib, closedMib, databaseKind.equals("h2") ? " (SHUTDOWN COMPACT)" : "");
        List<BenchResult> results = new ArrayList<>();
        results.add(BenchResult.info(name(), "jobs", done.size(), "jobs"));
        results.add(BenchResult.info(name(), "ports", ports, "ports"));
        results.add(BenchResult.info(name(), "timeScale", timeScale, "x"));
        results.add(BenchResult.info(name(), "wall", last.seconds(), "s"));
        results.add(BenchResult.info(name(), "heapAfterGc.first", first.heapMib(), "MiB"));
        results.add(BenchResult.info(name(), "heapAfterGc.last", last.heapMib(), "MiB"));
        results.add(BenchResult.info(name(), "threads.first", first.threads(), "threads"));
        results.add(BenchResult.info(name(), "threads.last", last.threads(), "threads"));
        results.add(BenchResult.info(name(), "fds.first", first.fds(), "fds"));
        results.add(BenchResult.info(name(), "fds.last", last.fds(), "fds"));
        results.add(BenchResult.info(name(), "rss.first", first.rssMib(), "MiB"));
        results.add(BenchResult.info(name(), "rss.last", last.rssMib(), "MiB"));
        results.add(BenchResult.info(name(), "overheadP99.first", p99[0], "ms"));
        results.add(BenchResult.info(name(), "overheadP99.last", p99[windows - 1], "ms"));
        results.add(BenchResult.info(name(), "overheadFloor", floorMs, "ms"));
        results.add(BenchResult.info(name(), "dbPerThousandJobs", perThousandMib, "MiB"));
        results.add(BenchResult.info(name(), "dbLineMaxDeviation", maxDeviation, "MiB"));
        results.add(BenchResult.info(name(), "dbYear64PortsOnePerMinute", yearGib, "GiB"));
        results.add(BenchResult.info(name(), "dbFilePeak", filePeakMib, "MiB"));
        results.add(BenchResult.info(name(), "dbFileClosed", closedMib, "MiB"));
        // "Flat": what a leak would break. Generous for noise, far below what one object, thread or
        // descriptor per job would add over the run; p99 compared as a ratio (the machine's load moves both).
        results.add(BenchResult.atMost(name(), "heapAfterGc.growth", last.heapMib() - first.heapMib(), "MiB",
                HEAP_GROWTH_MIB));
        results.add(BenchResult.atMost(name(), "threads.growth", last.threads() - first.threads(), "threads", 2));
        results.add(BenchResult.atMost(name(), "fds.growth", last.fds() - first.fds(), "fds", 2));
        results.add(BenchResult.atMost(name(), "overheadP99.lastOverFirst", p99[windows - 1] / p99[0], "x",
                P99_RATIO));
        results.add(BenchResult.atMost(name(), "jobsNotPassed", java.util.Arrays.stream(notPassed).sum(), "jobs", 0));
        return results;
    }

    /** Uploads the small image and the serialising recipe, and makes it the auto-started default. */
    private static void prepare(ServiceClient client) throws IOException, InterruptedException {
        byte[] image = new byte[IMAGE_BYTES];
        new Random(20261202L).nextBytes(image);
        ByteBuffer vectors = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        vectors.putInt(0, 0x2002_0000);
        vectors.putInt(4, (int) (FLASH + 0x189));
        byte[] hex = TestFirmwareWriters.intelHex(List.of(new Segment(FLASH, image)), 16, false, true);
        long firmwareId = client.uploadFirmware("soak-f407.hex", hex, "soak-f407", "1.0.0").path("id").asLong();
        String recipe = String.format(Locale.ROOT, """
                {"name": "soak-f407", "firmwareId": %d, "eraseMode": "SECTORS",
                 "serial": {"address": %d, "format": "SOAK-{seq:08d}", "start": 1, "length": 16},
                 "leave": true}""", firmwareId, SERIAL_ADDRESS);
        long recipeId = client.postJson("/api/v1/recipes", recipe, 201).path("id").asLong();
        client.putJson("/api/v1/station", "{\"defaultRecipeId\": " + recipeId + ", \"autoStart\": true}");
    }

    private static long finished(ServiceClient client) throws IOException, InterruptedException {
        long all = client.get("/api/v1/jobs?page=0&size=1").path("totalElements").asLong();
        long queued = client.get("/api/v1/jobs?page=0&size=1&state=QUEUED").path("totalElements").asLong();
        long running = client.get("/api/v1/jobs?page=0&size=1&state=RUNNING").path("totalElements").asLong();
        return all - queued - running;
    }

    /**
     * The newest {@code pages} × 500 jobs into {@code seen}. Jobs are listed newest first and only
     * ever added at the top, so pages shifting meanwhile repeat jobs but skip none.
     */
    private static void collect(ServiceClient client, Map<Long, JobTimes> seen, int pages)
            throws IOException, InterruptedException {
        for (int page = 0; page < pages; page++) {
            for (JsonNode job : client.get("/api/v1/jobs?page=" + page + "&size=500").path("items")) {
                JobTimes t = new JobTimes(job.path("id").asLong(), job.path("state").asString(),
                        instant(job.path("queuedAt")), instant(job.path("startedAt")), instant(job.path("finishedAt")));
                if (t.finishedAt() != null) {
                    seen.put(t.id(), t);
                }
            }
        }
    }

    private static Snapshot snapshot(ServiceProcess service, SoakDatabase database, Path gcLog, long finished,
            double seconds) throws IOException, InterruptedException {
        String pid = Long.toString(service.pid());
        jcmd(pid, "GC.run");
        long usedMib = -1;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = FULL_GC.matcher(line);
            if (m.find()) {
                usedMib = Long.parseLong(m.group(2));
            }
        }
        if (usedMib < 0) {
            throw new IOException("no full collection in " + gcLog + " after jcmd GC.run");
        }
        Path proc = Path.of("/proc", pid);
        int fds;
        try (Stream<Path> open = Files.list(proc.resolve("fd"))) {
            fds = (int) open.count();
        }
        int threads = 0;
        for (String line : Files.readAllLines(proc.resolve("status"))) {
            if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.substring(8).strip());
            }
        }
        SoakDatabase.Size size = database.size();
        return new Snapshot(finished, seconds, usedMib, threads, fds, service.rssBytes() / 1048576.0,
                size.dataBytes() / 1048576.0, size.fileBytes() / 1048576.0);
    }

    private static String jcmd(String pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, pid, command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    private static Instant instant(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : Instant.parse(node.asString());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
