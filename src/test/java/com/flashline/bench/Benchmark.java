package com.flashline.bench;

import java.util.List;

/**
 * One named benchmark the launcher can run. To add one: implement this (the work may be JMH,
 * a simulator run, anything that measures) and list an instance in {@link BenchmarkRegistry}.
 */
public interface Benchmark {

    /** Short name used with {@code -Dbench.only=NAME}. */
    String name();

    /** What it measures, printed by the launcher. */
    String description();

    /** Runs the measurement and returns one result per metric. */
    List<BenchResult> run() throws Exception;
}
