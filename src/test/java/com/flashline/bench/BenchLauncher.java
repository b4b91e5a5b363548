package com.flashline.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the registered benchmarks ({@code -Dbench.only=NAME[,NAME...]} picks some) and appends
 * one JSON object per result to {@code -Dbench.out} (default {@code target/bench/results.jsonl}).
 * Started by {@code ./mvnw -B -Pbench verify}. Exits 2 on an unknown name, 1 if a benchmark
 * threw; a missed target is reported (pass=false) but does not fail the build, since the numbers
 * depend on the machine. Each benchmark also reports how much CPU the hypervisor took from this
 * machine while it ran ({@code machine.stealPercent}, see {@link MachineLoad}).
 *
 * <p>{@code -Dbench.hog=N} (or {@code BENCH_HOG}) runs each benchmark with N cores taken by CPU hogs
 * ({@link CpuHog}), as on a slower machine: every result line of that run then carries
 * {@code "hog":N}, and the benchmark reports {@code machine.hogCores} and what each hog really took
 * ({@code machine.hogCpuPercent}, of one core).
 */
public final class BenchLauncher {

    private BenchLauncher() {
    }

    public static void main(String[] args) throws IOException {
        List<Benchmark> all = BenchmarkRegistry.all();
        Set<String> known = all.stream().map(Benchmark::name).collect(Collectors.toSet());
        String only = System.getProperty("bench.only", "").strip();
        Set<String> selected = only.isEmpty() ? known
                : Arrays.stream(only.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        List<String> unknown = selected.stream().filter(s -> !known.contains(s)).sorted().toList();
        if (!unknown.isEmpty()) {
            System.err.println("unknown benchmark(s) " + unknown + "; registered: " + known.stream().sorted().toList());
            System.exit(2);
        }
        Path out = Path.of(System.getProperty("bench.out", "target/bench/results.jsonl"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        int hogCores = BenchSettings.integer("bench.hog", 0);
        if (hogCores < 0) {
            System.err.println("bench.hog must be 0 or more: " + hogCores);
            System.exit(2);
        }
        boolean failed = false;
        List<BenchResult> summary = new ArrayList<>();
        for (Benchmark benchmark : all) {
            if (!selected.contains(benchmark.name())) {
                continue;
            }
            System.out.println("== benchmark " + benchmark.name() + ": " + benchmark.description()
                    + (hogCores > 0 ? " (with " + hogCores + " core(s) taken by CPU hogs)" : ""));
            try {
                MachineLoad before = MachineLoad.now();
                List<BenchResult> results;
                double hogPercent;
                try (CpuHog hog = CpuHog.start(hogCores)) {
                    results = new ArrayList<>(benchmark.run());
                    hogPercent = hog.cpuPercentOfOneCore();
                }
                MachineLoad after = MachineLoad.now();
                results.add(BenchResult.info(benchmark.name(), "machine.stealPercent", after.stealPercentSince(before), "%"));
                results.add(BenchResult.info(benchmark.name(), "machine.busyPercent", after.busyPercentSince(before), "%"));
                results.add(BenchResult.info(benchmark.name(), "machine.hogCores", hogCores, "cores"));
                if (hogCores > 0) {
                    results.add(BenchResult.info(benchmark.name(), "machine.hogCpuPercent", hogPercent, "% of one core"));
                    results = results.stream().map(r -> r.withHog(hogCores)).toList();
                }
                List<String> lines = results.stream().map(BenchResult::toJson).toList();
                Files.write(out, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                summary.addAll(results);
            } catch (Exception e) {
                failed = true;
                System.err.println("benchmark " + benchmark.name() + " failed: " + e);
                e.printStackTrace();
            }
        }
        System.out.println("== results (appended to " + out + ")");
        summary.forEach(r -> System.out.println(r.toJson()));
        if (failed) {
            System.exit(1);
        }
    }
}
