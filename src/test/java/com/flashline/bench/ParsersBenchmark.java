package com.flashline.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code parsers}: input throughput of {@link com.flashline.firmware.FirmwareReader} on multi-MiB
 * Intel HEX, S-record and ELF files (JMH ops/s times the file size). Target: at least 100 MB/s
 * (decimal MB of input) for each. JMH settings are modest on purpose (shared 2-core machine)
 * and can be raised with -Dbench.parsers.forks/warmups/iterations/seconds.
 */
public final class ParsersBenchmark implements Benchmark {

    static final double TARGET_MB_PER_S = 100.0;

    @Override
    public String name() {
        return "parsers";
    }

    @Override
    public String description() {
        return "FirmwareReader throughput on multi-MiB Intel HEX, S-record and ELF inputs (MB/s of input)";
    }

    @Override
    public List<BenchResult> run() throws Exception {
        Map<String, Supplier<byte[]>> inputs = Map.of(
                "intelHex", ParserInputs::intelHex, "srec", ParserInputs::srec, "elf", ParserInputs::elf);
        Options options = new OptionsBuilder()
                .include(ParserJmh.class.getName() + "\\.")
                .forks(Integer.getInteger("bench.parsers.forks", 1))
                .warmupIterations(Integer.getInteger("bench.parsers.warmups", 3))
                .measurementIterations(Integer.getInteger("bench.parsers.iterations", 5))
                .warmupTime(TimeValue.seconds(Integer.getInteger("bench.parsers.seconds", 1)))
                .measurementTime(TimeValue.seconds(Integer.getInteger("bench.parsers.seconds", 1)))
                .jvmArgsAppend("-Xmx1g")
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> runs = new Runner(options).run();
        if (runs.size() != inputs.size()) {
            throw new IllegalStateException("JMH returned " + runs.size() + " results for " + inputs.size() + " benchmarks");
        }
        List<BenchResult> results = new ArrayList<>();
        for (RunResult run : runs) {
            String label = run.getParams().getBenchmark();
            String method = label.substring(label.lastIndexOf('.') + 1);
            int fileBytes = inputs.get(method).get().length;
            double opsPerSecond = run.getPrimaryResult().getScore();
            double megabytesPerSecond = opsPerSecond * fileBytes / 1e6;
            results.add(BenchResult.atLeast(name(), method + ".throughput", megabytesPerSecond, "MB/s", TARGET_MB_PER_S));
            results.add(BenchResult.info(name(), method + ".inputSize", fileBytes / 1e6, "MB"));
        }
        return results;
    }
}
