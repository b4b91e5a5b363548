package com.flashline.bench;

import java.util.List;

/** Every benchmark the launcher knows. Add yours to the list; names must be unique. */
public final class BenchmarkRegistry {

    private BenchmarkRegistry() {
    }

    public static List<Benchmark> all() {
        return List.of(
                new ParsersBenchmark(),
                new EfficiencyBenchmark(),
                new RoundtripsBenchmark(),
                new RealPathBenchmark(),
                new ScaleBenchmark(),
                new ServiceLoadBenchmark(),
                new ServiceCpuBenchmark(),
                new SoakBenchmark(),
                new EventStreamBenchmark(),
                new H2CommitBenchmark());
    }
}
