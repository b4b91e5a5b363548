package com.flashline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code eventstream}: the {@link ScaleBenchmark} set-up with 64 boards, flashed in pairs of
 * batches (which one runs first alternates from pair to pair): one with no client on
 * {@code GET /api/v1/events}, one with 10 clients reading it, as 10 dashboards would. Reports each
 * job's slowdown against the job on the same port in the batch without clients (target: none
 * slower by more than 5 %), and how long after a port's change its event reached the clients
 * (target p99 &lt;= 250 ms).
 *
 * <p>Settings ({@link BenchSettings}): {@code bench.eventstream.boards} (64),
 * {@code bench.eventstream.clients} (10), {@code bench.eventstream.pairs} (3), plus the scale
 * benchmark's time scale, heap and JVM arguments.
 */
public final class EventStreamBenchmark implements Benchmark {

    static final double TARGET_P99_MILLIS = 250;
    static final double TARGET_MAX_SLOWDOWN_PERCENT = 5;
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "eventstream";
    }

    @Override
    public String description() {
        return "64 boards with 10 clients on GET /api/v1/events: job slowdown and event delay";
    }

    @Override
    public List<BenchResult> run() throws Exception {
        int boards = BenchSettings.integer("bench.eventstream.boards", 64);
        int clientCount = BenchSettings.integer("bench.eventstream.clients", 10);
        int pairs = BenchSettings.integer("bench.eventstream.pairs", 3);
        List<String> ports = FlashBatches.ports(boards);
        List<Double> slowdowns = new ArrayList<>();
        List<Double> delays = new ArrayList<>();
        long notPassed = 0;
        int violations = 0;
        try (ServiceProcess service = ServiceProcess.start("eventstream-" + boards, ScaleBenchmark.jvmOptions(),
                FlashBatches.serviceProperties(boards, ScaleBenchmark.TIME_SCALE), Duration.ofMinutes(3))) {
            ServiceClient client = new ServiceClient(service);
            FlashBatches.prepare(client);
            FlashBatches.run(client, ports, BATCH_TIMEOUT);
            watched(client, ports, clientCount); // warms the stream's paths
            for (int pair = 0; pair < pairs; pair++) {
                FlashBatches.Batch quiet;
                Watched watched;
                if (pair % 2 == 0) {
                    quiet = FlashBatches.run(client, ports, BATCH_TIMEOUT);
                    watched = watched(client, ports, clientCount);
                } else {
                    watched = watched(client, ports, clientCount);
                    quiet = FlashBatches.run(client, ports, BATCH_TIMEOUT);
                }
                Map<String, FlashBatches.JobRecord> quietByPort = quiet.byPort();
                for (FlashBatches.JobRecord job : watched.batch().jobs()) {
                    double base = quietByPort.get(job.port()).durationMs();
                    slowdowns.add(100.0 * (job.durationMs() - base) / base);
                }
                delays.addAll(watched.delaysMillis());
                for (FlashBatches.Batch batch : List.of(quiet, watched.batch())) {
                    notPassed += boards - batch.passed();
                    violations += batch.violations();
                }
                System.out.printf(Locale.ROOT, "eventstream pair %d: quiet wall %.3f s, watched wall %.3f s, %d port events%n",
                        pair + 1, quiet.wall().toNanos() / 1e9, watched.batch().wall().toNanos() / 1e9,
                        watched.delaysMillis().size());
            }
        }
        return List.of(
                BenchResult.info(name(), "eventDelay.p50", Stats.median(delays), "ms"),
                BenchResult.atMost(name(), "eventDelay.p99", Stats.percentile(delays, 99), "ms", TARGET_P99_MILLIS),
                BenchResult.info(name(), "eventDelay.max", Stats.max(delays), "ms"),
                BenchResult.info(name(), "portEvents", delays.size(), "events"),
                BenchResult.info(name(), "jobSlowdown.median", Stats.median(slowdowns), "%"),
                BenchResult.atMost(name(), "jobSlowdown.max", Stats.max(slowdowns), "%", TARGET_MAX_SLOWDOWN_PERCENT),
                BenchResult.atMost(name(), "jobsNotPassed", notPassed, "jobs", 0),
                BenchResult.atMost(name(), "protocolViolations", violations, "violations", 0));
    }

    private record Watched(FlashBatches.Batch batch, List<Double> delaysMillis) {
    }

    /** One batch with {@code count} clients on the event stream from before the plugs until the last job is final. */
    private static Watched watched(ServiceClient client, List<String> ports, int count) throws Exception {
        try (EventStreamClients clients = EventStreamClients.connect(client, count)) {
            FlashBatches.Batch batch = FlashBatches.run(client, ports, BATCH_TIMEOUT);
            return new Watched(batch, clients.drainDelays());
        }
    }
}
