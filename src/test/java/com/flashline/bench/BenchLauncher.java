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
        boolean failed = false;
        List<BenchResult> summary = new ArrayList<>();
        for (Benchmark benchmark : all) {
            if (!selected.contains(benchmark.name())) {
                continue;
            }
            System.out.println("== benchmark " + benchmark.name() + ": " + benchmark.description());
            try {
                MachineLoad before = MachineLoad.now();
                List<BenchResult> results = new ArrayList<>(benchmark.run());
                MachineLoad after = MachineLoad.now();
                results.add(BenchResult.info(benchmark.name(), "machine.stealPercent", after.stealPercentSince(before), "%"));
                results.add(BenchResult.info(benchmark.name(), "machine.busyPercent", after.busyPercentSince(before), "%"));
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
