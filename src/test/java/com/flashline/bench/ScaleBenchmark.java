package com.flashline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code scale}: the service (a child JVM) flashing 1, 8, 32 and 64 simulated STM32F407 boards at
 * once, N ports and N workers, datasheet timing scaled by {@link #TIME_SCALE}. Per N: warm-up
 * batches (at least 16 boards in all), then {@code bench.scale.rounds} (5; at least 7 for N = 1)
 * rounds of one board alone on port 1 followed by a batch of N fresh boards plugged at once.
 * Throughput is the batch's boards (and image bytes) over its wall time, from the first plug
 * request to the last job's {@code finishedAt}; efficiency is that over N times the throughput of
 * the single board, i.e. the single board's median wall time over the batch's. Also CPU seconds
 * of the service per board (batches only), its peak RSS, every job PASSED and no protocol
 * violation counted by the simulated boards.
 *
 * <p>Settings ({@link BenchSettings}: system property or environment variable):
 * {@code bench.scale.boards} (1,8,32,64; 1 is always run),
 * {@code bench.scale.rounds}, {@code bench.service.timeScale} (1.0: datasheet timing),
 * {@code bench.service.jvmOptionsFile} ({@code config/jvm.options}, the station's),
 * {@code bench.service.xmx} (none: the file's), {@code bench.service.jvmArgs} (extra options for
 * the service JVM, e.g. JFR).
 */
public final class ScaleBenchmark implements Benchmark {

    static final double TIME_SCALE = BenchSettings.decimal("bench.service.timeScale", 1.0);
    /** The station's JVM options, as the systemd unit and the container image use them. */
    static final String JVM_OPTIONS_FILE = BenchSettings.get("bench.service.jvmOptionsFile", "config/jvm.options");
    static final double TARGET_EFFICIENCY_AT_32 = 0.95;
    static final double TARGET_PEAK_RSS_MIB_AT_64 = 512;
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(5);
    private static final int WARM_UP_BOARDS = 16;

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public String description() {
        return "service with 1/8/32/64 simulated F407 boards flashing at once: throughput vs N x single, CPU/board, peak RSS";
    }

    /**
     * The child's JVM options: those of {@link #JVM_OPTIONS_FILE} (a {@code java @file} argument
     * file; {@code none} for the JVM's defaults), then {@code bench.service.xmx} if set, then
     * {@code bench.service.jvmArgs} (space-separated, e.g. a {@code -XX:StartFlightRecording=...}).
     */
    static List<String> jvmOptions() throws IOException {
        List<String> options = new ArrayList<>();
        if (!JVM_OPTIONS_FILE.equals("none")) {
            for (String line : Files.readAllLines(Path.of(JVM_OPTIONS_FILE))) {
                String withoutComment = line.replaceFirst("#.*", "").strip();
                if (!withoutComment.isEmpty()) {
                    options.addAll(Arrays.asList(withoutComment.split("\\s+")));
                }
            }
        }
        String xmx = BenchSettings.get("bench.service.xmx", "");
        if (!xmx.isEmpty()) {
            options.add("-Xmx" + xmx);
        }
        String extra = BenchSettings.get("bench.service.jvmArgs", "");
        if (!extra.isEmpty()) {
            options.addAll(Arrays.asList(extra.split("\\s+")));
        }
        return options;
    }

    @Override
    public List<BenchResult> run() throws Exception {
        List<Integer> sizes = new ArrayList<>(Arrays.stream(BenchSettings.get("bench.scale.boards", "1,8,32,64").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(Integer::parseInt).sorted().distinct().toList());
        if (sizes.isEmpty() || sizes.get(0) != 1) {
            sizes.add(0, 1);
        }
        int rounds = BenchSettings.integer("bench.scale.rounds", 5);
        List<BenchResult> results = new ArrayList<>();
        for (int n : sizes) {
            Measured m = measure(n, n == 1 ? Math.max(rounds, 7) : rounds);
            double bytesPerSecond = (double) n * FlashBatches.IMAGE_BYTES / m.medianWallSeconds;
            // N boards' throughput over N times one board's, both measured in the same service.
            double efficiency = m.medianSingleWallSeconds / m.medianWallSeconds;
            String p = "N" + n + ".";
            results.add(BenchResult.info(name(), p + "batchWall", m.medianWallSeconds, "s"));
            results.add(BenchResult.info(name(), p + "boardsPerHour", n * 3600 / m.medianWallSeconds, "boards/h"));
            results.add(BenchResult.info(name(), p + "throughput", bytesPerSecond / 1024, "KiB/s"));
            results.add(n == 32 ? BenchResult.atLeast(name(), p + "efficiency", efficiency, "x N*single", TARGET_EFFICIENCY_AT_32)
                    : BenchResult.info(name(), p + "efficiency", efficiency, "x N*single"));
            results.add(BenchResult.info(name(), p + "singleBoardWall", m.medianSingleWallSeconds, "s"));
            results.add(BenchResult.info(name(), p + "jobDuration.median", m.medianJobMillis, "ms"));
            results.add(BenchResult.info(name(), p + "jobDuration.max", m.maxJobMillis, "ms"));
            results.add(BenchResult.info(name(), p + "lastJobQueued.median", m.medianQueueSpreadMillis, "ms"));
            results.add(BenchResult.info(name(), p + "lastJobStart.median", m.medianStartSpreadMillis, "ms"));
            results.add(BenchResult.info(name(), p + "cpuPerBoard", m.cpuSecondsPerBoard, "CPU-s"));
            double rssMiB = m.peakRssBytes / (1024.0 * 1024.0);
            results.add(n == 64 ? BenchResult.atMost(name(), p + "peakRss", rssMiB, "MiB", TARGET_PEAK_RSS_MIB_AT_64)
                    : BenchResult.info(name(), p + "peakRss", rssMiB, "MiB"));
            results.add(BenchResult.atMost(name(), p + "jobsNotPassed", m.notPassed, "jobs", 0));
            results.add(BenchResult.atMost(name(), p + "protocolViolations", m.violations, "violations", 0));
            System.out.printf(Locale.ROOT, "scale N=%d: wall %.3f s, %.0f KiB/s, efficiency %.3f%s, job median %.0f ms"
                    + " max %.0f ms, last queued %.0f ms, last start %.0f ms, %.3f CPU-s/board, peak RSS %.0f MiB, not passed %d, violations %d%n",
                    n, m.medianWallSeconds, bytesPerSecond / 1024, efficiency,
                    n == 32 ? String.format(Locale.ROOT, " (target >= %.2f)", TARGET_EFFICIENCY_AT_32) : "",
                    m.medianJobMillis, m.maxJobMillis,
                    m.medianQueueSpreadMillis, m.medianStartSpreadMillis, m.cpuSecondsPerBoard, rssMiB, m.notPassed, m.violations);
        }
        results.add(BenchResult.info(name(), "timeScale", TIME_SCALE, "x datasheet"));
        results.add(BenchResult.info(name(), "imageSize", FlashBatches.IMAGE_BYTES / 1024.0, "KiB"));
        return results;
    }

    /**
     * @param medianSingleWallSeconds one board alone on the same service, in the rounds between the
     *                                batches (for N = 1, the batches themselves)
     * @param medianStartSpreadMillis from the first plug request to the start of the batch's last job
     * @param medianQueueSpreadMillis from the first plug request to when the batch's last job was queued
     */
    private record Measured(double medianWallSeconds, double medianSingleWallSeconds, double medianJobMillis,
            double maxJobMillis,
            double medianStartSpreadMillis, double medianQueueSpreadMillis, double cpuSecondsPerBoard, long peakRssBytes, long notPassed, int violations) {
    }

    private Measured measure(int n, int rounds) throws Exception {
        List<String> ports = FlashBatches.ports(n);
        try (ServiceProcess service = ServiceProcess.start("scale-" + n, jvmOptions(),
                FlashBatches.serviceProperties(n, TIME_SCALE), Duration.ofMinutes(3))) {
            ServiceClient client = new ServiceClient(service);
            FlashBatches.prepare(client);
            // At least WARM_UP_BOARDS boards before measuring, so that N = 1 (the reference) does not
            // run its single measured board on code the JIT has not compiled yet.
            for (int flashed = 0; flashed < WARM_UP_BOARDS; flashed += n) {
                FlashBatches.Batch warmUp = FlashBatches.run(client, ports, BATCH_TIMEOUT);
                System.out.printf(Locale.ROOT, "scale N=%d warm-up: wall %.3f s, %d/%d passed%n", n,
                        warmUp.wall().toNanos() / 1e9, warmUp.passed(), n);
            }
            List<Double> walls = new ArrayList<>();
            List<Double> singleWalls = new ArrayList<>();
            List<Double> jobMillis = new ArrayList<>();
            List<Double> startSpreads = new ArrayList<>();
            List<Double> queueSpreads = new ArrayList<>();
            long notPassed = 0;
            int violations = 0;
            double cpu = 0;
            for (int round = 0; round < rounds; round++) {
                if (n > 1) {
                    // The reference, one board alone, alternates with the batches on the same
                    // service, so that both see the same JIT state, heap and machine load.
                    FlashBatches.Batch single = FlashBatches.run(client, ports.subList(0, 1), BATCH_TIMEOUT);
                    singleWalls.add(single.wall().toNanos() / 1e9);
                    notPassed += 1 - single.passed();
                    violations += single.violations();
                }
                double cpuBefore = service.cpuSeconds();
                FlashBatches.Batch batch = FlashBatches.run(client, ports, BATCH_TIMEOUT);
                cpu += service.cpuSeconds() - cpuBefore;
                walls.add(batch.wall().toNanos() / 1e9);
                batch.jobs().forEach(j -> jobMillis.add((double) j.durationMs()));
                batch.jobs().stream().map(FlashBatches.JobRecord::startedAt).filter(Objects::nonNull)
                        .max(Instant::compareTo)
                        .ifPresent(last -> startSpreads.add(Duration.between(batch.plugStart(), last).toNanos() / 1e6));
                batch.jobs().stream().map(FlashBatches.JobRecord::queuedAt).filter(Objects::nonNull)
                        .max(Instant::compareTo)
                        .ifPresent(last -> queueSpreads.add(Duration.between(batch.plugStart(), last).toNanos() / 1e6));
                notPassed += n - batch.passed();
                violations += batch.violations();
                if (batch.passed() != n) {
                    System.out.println("scale N=" + n + " jobs not passed: " + batch.failures());
                }
            }
            double medianWall = Stats.median(walls);
            return new Measured(medianWall, n > 1 ? Stats.median(singleWalls) : medianWall, Stats.median(jobMillis),
                    Stats.max(jobMillis), startSpreads.isEmpty() ? Double.NaN : Stats.median(startSpreads),
                    queueSpreads.isEmpty() ? Double.NaN : Stats.median(queueSpreads),
                    cpu / ((double) n * rounds), service.peakRssBytes(), notPassed, violations);
        }
    }
}
