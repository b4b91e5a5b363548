package com.flashline.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code serviceload}: the {@link ScaleBenchmark} set-up with 32 boards, flashed in pairs of
 * batches (which one runs first alternates from pair to pair): one without load, one while {@code GET /api/v1/ports} and {@code GET /api/v1/jobs}
 * are requested at 200 requests/s in total ({@link OpenLoopLoad}, alternating). Reports p50/p99/max
 * latency per endpoint (target p99 &lt; 50 ms) and each job's slowdown against the job on the same
 * port in the unloaded batch of the same pair (target: no job slowed by more than 5 %, i.e. the
 * largest of those slowdowns; the median is reported beside it).
 *
 * <p>Before measuring: {@code bench.serviceload.warmUpBatches} (8) batches,
 * {@code bench.serviceload.warmUpRequests} (3000) sequential GETs and one loaded batch, so that
 * neither the flashing nor the request paths run interpreted. Eight batches, because much of a
 * job's own work (its queueing, start, end and serial number, and the JPA and H2 code under them)
 * runs once per board, and the station's C1 compiles a method only after about 200 calls
 * ({@code Tier3InvocationThreshold}): with one warm-up batch of 32 that code was still being
 * compiled during the measured batches, at their starts and ends, which is where the tail is. The
 * compiler threads' CPU during the measured pairs is reported ({@code jitCpu.measured}) so that a
 * run shows whether its warm-up was enough.
 *
 * <p>Settings ({@link BenchSettings}): {@code bench.serviceload.boards} (32),
 * {@code bench.serviceload.rate} (200), {@code bench.serviceload.pairs} (4), plus the scale
 * benchmark's time scale, heap and JVM arguments.
 */
public final class ServiceLoadBenchmark implements Benchmark {

    static final double TARGET_P99_MILLIS = 50;
    static final double TARGET_MAX_SLOWDOWN_PERCENT = 5;
    private static final List<String> PATHS = List.of("/api/v1/ports", "/api/v1/jobs");
    private static final Duration MAX_LOAD = Duration.ofMinutes(3);
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "serviceload";
    }

    @Override
    public String description() {
        return "GET /ports and /jobs at 200 req/s while 32 boards flash: latency and job slowdown";
    }

    @Override
    public List<BenchResult> run() throws Exception {
        int boards = BenchSettings.integer("bench.serviceload.boards", 32);
        double rate = BenchSettings.decimal("bench.serviceload.rate", 200);
        int pairs = BenchSettings.integer("bench.serviceload.pairs", 4);
        List<String> ports = FlashBatches.ports(boards);
        List<Double> slowdowns = new ArrayList<>();
        List<Double> wallSlowdowns = new ArrayList<>();
        Map<String, List<Double>> latencies = new LinkedHashMap<>();
        PATHS.forEach(p -> latencies.put(p, new ArrayList<>()));
        int errors = 0;
        int sent = 0;
        double loadSeconds = 0;
        double maxLag = 0;
        long notPassed = 0;
        int violations = 0;
        double cpuQuiet = 0;
        double cpuLoaded = 0;
        Map<String, Double> cpuPerRequest;
        double jitMeasured;
        try (ServiceProcess service = ServiceProcess.start("serviceload-" + boards, ScaleBenchmark.jvmOptions(),
                FlashBatches.serviceProperties(boards, ScaleBenchmark.TIME_SCALE), Duration.ofMinutes(3))) {
            ServiceClient client = new ServiceClient(service);
            FlashBatches.prepare(client);
            int warmUpBatches = BenchSettings.integer("bench.serviceload.warmUpBatches", 8);
            for (int batch = 0; batch < warmUpBatches; batch++) {
                FlashBatches.run(client, ports, BATCH_TIMEOUT);
            }
            // Warm the request paths too: their first thousands of requests cost several times the
            // steady state while the JIT compiles them, which would land in the first loaded batch.
            int warmUpRequests = BenchSettings.integer("bench.serviceload.warmUpRequests", 3000);
            for (int i = 0; i < warmUpRequests; i++) {
                client.get(PATHS.get(i % PATHS.size()));
            }
            // What one request costs alone, unlike the loaded-minus-quiet difference below, which the
            // flashing's own spread blurs.
            cpuPerRequest = ServiceCpuBenchmark.perRequest(client, service, PATHS,
                    BenchSettings.integer("bench.serviceload.cpuProbeRequests", 1000));
            runLoaded(client, service, ports, rate, MAX_LOAD);
            double jitBefore = compilerCpuSeconds(service);
            for (int pair = 0; pair < pairs; pair++) {
                // Alternate which batch of a pair runs first, so that a drift of the machine (steal,
                // heap growth, the JIT) does not always land on the loaded batch.
                WithCpu<FlashBatches.Batch> quietRun;
                WithCpu<Loaded> loadedRun;
                if (pair % 2 == 0) {
                    quietRun = withCpu(service, () -> FlashBatches.run(client, ports, BATCH_TIMEOUT));
                    loadedRun = withCpu(service, () -> runLoaded(client, service, ports, rate, MAX_LOAD));
                } else {
                    loadedRun = withCpu(service, () -> runLoaded(client, service, ports, rate, MAX_LOAD));
                    quietRun = withCpu(service, () -> FlashBatches.run(client, ports, BATCH_TIMEOUT));
                }
                FlashBatches.Batch quiet = quietRun.value();
                Loaded loaded = loadedRun.value();
                cpuQuiet += quietRun.cpuSeconds();
                cpuLoaded += loadedRun.cpuSeconds();
                Map<String, FlashBatches.JobRecord> quietByPort = quiet.byPort();
                for (FlashBatches.JobRecord job : loaded.batch.jobs()) {
                    double base = quietByPort.get(job.port()).durationMs();
                    slowdowns.add(100.0 * (job.durationMs() - base) / base);
                }
                double quietWall = quiet.wall().toNanos();
                wallSlowdowns.add(100.0 * (loaded.batch.wall().toNanos() - quietWall) / quietWall);
                for (FlashBatches.Batch batch : List.of(quiet, loaded.batch)) {
                    notPassed += boards - batch.passed();
                    violations += batch.violations();
                    if (batch.passed() != boards) {
                        System.out.println("serviceload jobs not passed: " + batch.failures());
                    }
                }
                loaded.outcome.latencyMillis().forEach((path, samples) -> latencies.get(path).addAll(samples));
                errors += loaded.outcome.errors();
                sent += loaded.outcome.sent();
                loadSeconds += loaded.outcome.seconds();
                maxLag = Math.max(maxLag, loaded.outcome.maxLagMillis());
                System.out.printf(Locale.ROOT, "serviceload pair %d: quiet wall %.3f s, loaded wall %.3f s, %d requests in %.1f s%n",
                        pair + 1, quiet.wall().toNanos() / 1e9, loaded.batch.wall().toNanos() / 1e9,
                        loaded.outcome.sent(), loaded.outcome.seconds());
            }
            jitMeasured = compilerCpuSeconds(service) - jitBefore;
        }
        List<BenchResult> results = new ArrayList<>();
        for (String path : PATHS) {
            List<Double> samples = latencies.get(path);
            String metric = path.substring(path.lastIndexOf('/') + 1);
            results.add(BenchResult.info(name(), metric + ".p50", Stats.median(samples), "ms"));
            results.add(BenchResult.atMost(name(), metric + ".p99", Stats.percentile(samples, 99), "ms", TARGET_P99_MILLIS));
            results.add(BenchResult.info(name(), metric + ".max", Stats.max(samples), "ms"));
            results.add(BenchResult.info(name(), metric + ".requests", samples.size(), "requests"));
        }
        results.add(BenchResult.info(name(), "achievedRate", sent / loadSeconds, "req/s"));
        results.add(BenchResult.atMost(name(), "requestErrors", errors, "requests", 0));
        results.add(BenchResult.info(name(), "clientMaxLag", maxLag, "ms"));
        results.add(BenchResult.info(name(), "jobSlowdown.median", Stats.median(slowdowns), "%"));
        results.add(BenchResult.atMost(name(), "jobSlowdown.max", Stats.max(slowdowns), "%", TARGET_MAX_SLOWDOWN_PERCENT));
        results.add(BenchResult.info(name(), "batchWallSlowdown.median", Stats.median(wallSlowdowns), "%"));
        results.add(BenchResult.info(name(), "serviceCpu.quietBatch", cpuQuiet / pairs, "CPU-s"));
        results.add(BenchResult.info(name(), "serviceCpu.loadedBatch", cpuLoaded / pairs, "CPU-s"));
        results.add(BenchResult.info(name(), "serviceCpu.perRequest", 1000 * (cpuLoaded - cpuQuiet) / sent, "CPU-ms"));
        cpuPerRequest.forEach((path, ms) -> results.add(BenchResult.info(name(),
                "serviceCpu.perRequest.idle." + path.substring(path.lastIndexOf('/') + 1), ms, "CPU-ms")));
        double cpuPerBoard = cpuQuiet / ((double) pairs * boards);
        results.add(BenchResult.info(name(), "serviceCpu.perBoard", cpuPerBoard, "CPU-s"));
        results.add(BenchResult.info(name(), "jitCpu.measured", jitMeasured, "CPU-s"));
        results.add(BenchResult.info(name(), "jitCpu.share", 100 * jitMeasured / (cpuQuiet + cpuLoaded), "%"));
        System.out.printf(Locale.ROOT, "serviceload: p99 /ports %.1f ms, /jobs %.1f ms (target < %.0f); slowest job %+.1f %%"
                        + " (target %.0f %%); service CPU per request %.2f ms under load, %s alone; per board %.3f CPU-s%n",
                Stats.percentile(latencies.get(PATHS.get(0)), 99), Stats.percentile(latencies.get(PATHS.get(1)), 99),
                TARGET_P99_MILLIS, Stats.max(slowdowns), TARGET_MAX_SLOWDOWN_PERCENT, 1000 * (cpuLoaded - cpuQuiet) / sent,
                cpuPerRequest.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2f ms", e.getKey(), e.getValue()))
                        .toList(), cpuPerBoard);
        results.add(BenchResult.atMost(name(), "jobsNotPassed", notPassed, "jobs", 0));
        results.add(BenchResult.atMost(name(), "protocolViolations", violations, "violations", 0));
        return results;
    }

    /** CPU seconds of the JIT compiler's threads so far ({@code C1 CompilerThread0}, ...). */
    private static double compilerCpuSeconds(ServiceProcess service) throws IOException {
        return ServiceProcess.cpuSecondsOf(service.cpuSecondsByThreadGroup(), group -> group.contains("CompilerThre"));
    }

    private record Loaded(FlashBatches.Batch batch, OpenLoopLoad.Outcome outcome) {
    }

    /** What a step returned and the CPU seconds the service spent while it ran. */
    private record WithCpu<T>(T value, double cpuSeconds) {
    }

    private static <T> WithCpu<T> withCpu(ServiceProcess service, Callable<T> step) throws Exception {
        double before = service.cpuSeconds();
        T value = step.call();
        return new WithCpu<>(value, service.cpuSeconds() - before);
    }

    /** One batch with the load running from just before the boards are plugged until the last job is final. */
    private static Loaded runLoaded(ServiceClient client, ServiceProcess service, List<String> ports, double rate,
            Duration maxLoad) throws Exception {
        OpenLoopLoad load = new OpenLoopLoad(service.baseUri(), client.authorization(), PATHS, rate,
                (int) Math.ceil(rate * maxLoad.toSeconds()), maxLoad);
        Thread loader = new Thread(load, "bench-load");
        loader.start();
        try {
            FlashBatches.Batch batch = FlashBatches.run(client, ports, BATCH_TIMEOUT);
            return new Loaded(batch, finish(load, loader));
        } catch (Exception e) {
            finish(load, loader);
            throw e;
        }
    }

    private static OpenLoopLoad.Outcome finish(OpenLoopLoad load, Thread loader) throws InterruptedException {
        load.stop();
        loader.join();
        return load.outcome();
    }
}
