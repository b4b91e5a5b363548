package com.flashline.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code servicecpu}: what the service spends in CPU time per request and per board, the figures
 * that decide whether {@code scale} and {@code serviceload} keep their targets on a slower (or
 * busier) machine. Unlike their wall-time targets these hardly depend on what else runs on the
 * machine, so they can be compared between two versions of the code on a shared machine.
 *
 * <p>The {@link ScaleBenchmark} set-up with {@code bench.servicecpu.boards} (32) ports: warm-up
 * batches (at least {@code bench.servicecpu.warmUpBoards}, 256, boards) and {@code bench.servicecpu.warmUpRequests} (3000) GETs, then
 * <ul>
 *   <li>per request: {@code bench.servicecpu.requests} (2000) {@code GET /api/v1/ports}, then as many
 *       {@code GET /api/v1/jobs} (50 jobs with their phases), one after another while no job runs,
 *       less what the idle service uses meanwhile (measured just before);</li>
 *   <li>per board: {@code bench.servicecpu.batches} (3) batches of N boards plugged at once, the
 *       service's CPU over each batch divided by N; also split by thread group (workers, HTTP,
 *       JIT compiler, GC, ...) from {@code /proc/<pid>/task}.</li>
 * </ul>
 * {@code bench.servicecpu.startMinutes} (5): how long the service may take to start.
 *
 * <p>Side by side with another build ({@code bench.servicecpu.baseline}: that build's
 * {@code target/classes}, e.g. of a {@code git worktree} at the commit to compare with): both
 * services run at once, are prepared and warmed alike, and their requests alternate in blocks of
 * {@code bench.servicecpu.block} (200), so that what else runs on the machine (steal, neighbours)
 * lands on both alike. A service's CPU while the other one is being asked is its idle use, which
 * is subtracted. Then {@code bench.servicecpu.batches} (3) batches on each, in turn, the same way.
 * Reports each build's CPU per request and per board (in all, in the HTTP threads where the
 * simulator's plugs are judged, in the workers), and this build's over the baseline's.
 * The service's CPU is {@code /proc/<pid>/stat} (utime + stime), in clock ticks (10 ms), so each
 * figure is taken over hundreds of milliseconds of CPU at least.
 */
public final class ServiceCpuBenchmark implements Benchmark {

    static final List<String> PATHS = List.of("/api/v1/ports", "/api/v1/jobs");
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(10);

    @Override
    public String name() {
        return "servicecpu";
    }

    @Override
    public String description() {
        return "service CPU per GET /ports and /jobs request and per flashed board (32 at once), by thread group";
    }

    @Override
    public List<BenchResult> run() throws Exception {
        int boards = BenchSettings.integer("bench.servicecpu.boards", 32);
        int batches = BenchSettings.integer("bench.servicecpu.batches", 3);
        int requests = BenchSettings.integer("bench.servicecpu.requests", 2000);
        List<String> ports = FlashBatches.ports(boards);
        List<BenchResult> results = new ArrayList<>();
        String baseline = BenchSettings.get("bench.servicecpu.baseline", "");
        if (!baseline.isEmpty()) {
            return sideBySide(Path.of(baseline), boards, requests, batches);
        }
        try (ServiceProcess service = ServiceProcess.start("servicecpu-" + boards, ScaleBenchmark.jvmOptions(),
                FlashBatches.serviceProperties(boards, ScaleBenchmark.TIME_SCALE),
                Duration.ofMinutes(BenchSettings.integer("bench.servicecpu.startMinutes", 5)))) {
            ServiceClient client = new ServiceClient(service);
            warmUp(List.of(client), ports);
            Map<String, Double> perRequest = perRequest(client, service, PATHS, requests);
            perRequest.forEach((path, ms) -> results.add(BenchResult.info(name(),
                    "perRequest." + path.substring(path.lastIndexOf('/') + 1), ms, "CPU-ms")));

            double cpu = 0;
            long notPassed = 0;
            Map<String, Double> groupsBefore = service.cpuSecondsByThreadGroup();
            for (int batch = 0; batch < batches; batch++) {
                double before = service.cpuSeconds();
                FlashBatches.Batch flashed = FlashBatches.run(client, ports, BATCH_TIMEOUT);
                cpu += service.cpuSeconds() - before;
                notPassed += boards - flashed.passed();
            }
            Map<String, Double> groups = difference(service.cpuSecondsByThreadGroup(), groupsBefore);
            double perBoard = cpu / ((double) boards * batches);
            results.add(BenchResult.info(name(), "perBoard", perBoard, "CPU-s"));
            // The groups' time includes the batches' waiting for their end (polling), negligible.
            groups.forEach((group, seconds) -> {
                double ms = 1000 * seconds / ((double) boards * batches);
                if (ms >= 0.05) {
                    results.add(BenchResult.info(name(), "perBoard.thread." + group.strip().replace(' ', '_'), ms, "CPU-ms"));
                }
            });
            results.add(BenchResult.atMost(name(), "jobsNotPassed", notPassed, "jobs", 0));
            System.out.printf(Locale.ROOT, "servicecpu: per request %s; per board %.4f CPU-s (N = %d, %d batches); by thread: %s%n",
                    perRequest.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.3f ms", e.getKey(), e.getValue())).toList(),
                    perBoard, boards, batches, groups.entrySet().stream().filter(e -> e.getValue() > 0)
                            .map(e -> String.format(Locale.ROOT, "%s %.1f ms", e.getKey(), 1000 * e.getValue() / (boards * batches)))
                            .toList());
        }
        return results;
    }

    private List<BenchResult> sideBySide(Path baseline, int boards, int requests, int batches) throws Exception {
        List<String> ports = FlashBatches.ports(boards);
        int block = BenchSettings.integer("bench.servicecpu.block", 200);
        Duration start = Duration.ofMinutes(BenchSettings.integer("bench.servicecpu.startMinutes", 5));
        List<BenchResult> results = new ArrayList<>();
        try (ServiceProcess own = ServiceProcess.start("servicecpu-" + boards, ScaleBenchmark.jvmOptions(),
                FlashBatches.serviceProperties(boards, ScaleBenchmark.TIME_SCALE), start);
             ServiceProcess other = ServiceProcess.start("servicecpu-baseline-" + boards, ScaleBenchmark.jvmOptions(),
                     FlashBatches.serviceProperties(boards, ScaleBenchmark.TIME_SCALE), start, baseline)) {
            List<ServiceProcess> services = List.of(own, other);
            List<ServiceClient> clients = List.of(new ServiceClient(own), new ServiceClient(other));
            warmUp(clients, ports);
            for (String path : PATHS) {
                double[] busyCpu = new double[2];
                double[] busyWall = new double[2];
                double[] idleCpu = new double[2];
                double[] idleWall = new double[2];
                for (int sent = 0; sent < requests; sent += block) {
                    for (int asked = 0; asked < 2; asked++) {
                        double[] before = {own.cpuSeconds(), other.cpuSeconds()};
                        long begin = System.nanoTime();
                        for (int i = 0; i < Math.min(block, requests - sent); i++) {
                            clients.get(asked).get(path);
                        }
                        double wall = (System.nanoTime() - begin) / 1e9;
                        for (int s = 0; s < 2; s++) {
                            double used = services.get(s).cpuSeconds() - before[s];
                            if (s == asked) {
                                busyCpu[s] += used;
                                busyWall[s] += wall;
                            } else {
                                idleCpu[s] += used;
                                idleWall[s] += wall;
                            }
                        }
                    }
                }
                String metric = path.substring(path.lastIndexOf('/') + 1);
                double[] perRequest = new double[2];
                for (int s = 0; s < 2; s++) {
                    perRequest[s] = 1000 * lessIdle(busyCpu[s], busyWall[s], idleCpu[s], idleWall[s]) / requests;
                }
                results.add(BenchResult.info(name(), "perRequest." + metric, perRequest[0], "CPU-ms"));
                results.add(BenchResult.info(name(), "perRequest." + metric + ".baseline", perRequest[1], "CPU-ms"));
                results.add(BenchResult.info(name(), "perRequest." + metric + ".overBaseline",
                        perRequest[0] / perRequest[1], "ratio"));
                System.out.printf(Locale.ROOT, "servicecpu side by side: %s %.3f ms, baseline (%s) %.3f ms, ratio %.3f%n",
                        path, perRequest[0], baseline, perRequest[1], perRequest[0] / perRequest[1]);
            }
            results.addAll(perBoardSideBySide(services, clients, ports, batches, baseline));
        }
        return results;
    }

    /**
     * Batches flashed by the two services in turn, each one's CPU over its own batches less its
     * idle use while the other one flashed; per board, in all and in the threads that judge the
     * boards' arrivals (HTTP, as the simulator's plugs arrive there) and run the jobs (workers).
     */
    private List<BenchResult> perBoardSideBySide(List<ServiceProcess> services, List<ServiceClient> clients,
            List<String> ports, int batches, Path baseline) throws Exception {
        List<String> parts = List.of("all", "http", "workers");
        double[][] busy = new double[2][parts.size()];
        double[][] idle = new double[2][parts.size()];
        double[] busyWall = new double[2];
        double[] idleWall = new double[2];
        long notPassed = 0;
        for (int batch = 0; batch < batches; batch++) {
            for (int flashing = 0; flashing < 2; flashing++) {
                double[][] before = {cpuParts(services.get(0)), cpuParts(services.get(1))};
                long begin = System.nanoTime();
                notPassed += ports.size() - FlashBatches.run(clients.get(flashing), ports, BATCH_TIMEOUT).passed();
                double wall = (System.nanoTime() - begin) / 1e9;
                for (int s = 0; s < 2; s++) {
                    double[] after = cpuParts(services.get(s));
                    for (int part = 0; part < parts.size(); part++) {
                        (s == flashing ? busy : idle)[s][part] += after[part] - before[s][part];
                    }
                    if (s == flashing) {
                        busyWall[s] += wall;
                    } else {
                        idleWall[s] += wall;
                    }
                }
            }
        }
        List<BenchResult> results = new ArrayList<>();
        double flashed = (double) batches * ports.size();
        for (int part = 0; part < parts.size(); part++) {
            double[] perBoard = new double[2];
            for (int s = 0; s < 2; s++) {
                perBoard[s] = 1000 * lessIdle(busy[s][part], busyWall[s], idle[s][part], idleWall[s]) / flashed;
            }
            String metric = "perBoard" + (part == 0 ? "" : "." + parts.get(part));
            results.add(BenchResult.info(name(), metric, perBoard[0], "CPU-ms"));
            results.add(BenchResult.info(name(), metric + ".baseline", perBoard[1], "CPU-ms"));
            results.add(BenchResult.info(name(), metric + ".overBaseline", perBoard[0] / perBoard[1], "ratio"));
            System.out.printf(Locale.ROOT, "servicecpu side by side: per board (%s) %.2f ms, baseline (%s) %.2f ms, ratio %.3f%n",
                    parts.get(part), perBoard[0], baseline, perBoard[1], perBoard[0] / perBoard[1]);
        }
        results.add(BenchResult.atMost(name(), "jobsNotPassed", notPassed, "jobs", 0));
        return results;
    }

    /**
     * A service's CPU while it was asked ({@code busyCpu} over {@code busyWall} seconds) less what it
     * used at its idle rate, measured while the other service was asked, over the same time.
     */
    private static double lessIdle(double busyCpu, double busyWall, double idleCpu, double idleWall) {
        return Math.max(0, busyCpu - idleCpu / idleWall * busyWall);
    }

    /** CPU seconds of the whole service, of its HTTP threads and of its flashing workers. */
    private static double[] cpuParts(ServiceProcess service) throws IOException {
        Map<String, Double> groups = service.cpuSecondsByThreadGroup();
        return new double[] {service.cpuSeconds(), ServiceProcess.cpuSecondsOf(groups, g -> g.startsWith("http-nio")),
                ServiceProcess.cpuSecondsOf(groups, g -> g.startsWith("flash-worker"))};
    }

    /**
     * Each service prepared (firmware, recipe, auto-start) and warmed with at least
     * {@code bench.servicecpu.warmUpBoards} (256) boards (code that runs once per board is compiled
     * by C1 after about 200 calls; see {@link ServiceLoadBenchmark}), then {@code bench.servicecpu.warmUpRequests}
     * (3000) GETs of {@link #PATHS} to each, alternating between the services.
     */
    private static void warmUp(List<ServiceClient> clients, List<String> ports) throws IOException, InterruptedException {
        for (ServiceClient client : clients) {
            FlashBatches.prepare(client);
            for (int flashed = 0; flashed < BenchSettings.integer("bench.servicecpu.warmUpBoards", 256); flashed += ports.size()) {
                FlashBatches.run(client, ports, BATCH_TIMEOUT);
            }
        }
        int warmUpRequests = BenchSettings.integer("bench.servicecpu.warmUpRequests", 3000);
        for (int i = 0; i < warmUpRequests; i++) {
            for (ServiceClient client : clients) {
                client.get(PATHS.get(i % PATHS.size()));
            }
        }
    }

    private static Map<String, Double> difference(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> diff = new TreeMap<>();
        after.forEach((group, seconds) -> diff.put(group, seconds - before.getOrDefault(group, 0.0)));
        return diff;
    }

    /**
     * The service's CPU per request of each path, {@code requests} of it sent one after another while
     * no job runs, less what the idle service used over the same time (measured just before).
     * Milliseconds of CPU per request, by path.
     */
    static Map<String, Double> perRequest(ServiceClient client, ServiceProcess service, List<String> paths, int requests)
            throws IOException, InterruptedException {
        double idleBefore = service.cpuSeconds();
        long idleStart = System.nanoTime();
        // Measuring the idle service's own CPU use (timers, pools): nothing to wait for but time.
        TimeUnit.SECONDS.sleep(2);
        double idleRate = (service.cpuSeconds() - idleBefore) / ((System.nanoTime() - idleStart) / 1e9);
        Map<String, Double> perRequest = new LinkedHashMap<>();
        for (String path : paths) {
            double before = service.cpuSeconds();
            long start = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                client.get(path);
            }
            double wall = (System.nanoTime() - start) / 1e9;
            perRequest.put(path, 1000 * Math.max(0, service.cpuSeconds() - before - idleRate * wall) / requests);
        }
        return perRequest;
    }
}
