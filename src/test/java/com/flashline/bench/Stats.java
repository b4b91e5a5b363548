package com.flashline.bench;

import java.util.Collection;
import java.util.List;

/** Order statistics over measured samples (nearest-rank percentiles). */
final class Stats {

    private Stats() {
    }

    static double median(Collection<Double> samples) {
        List<Double> sorted = sorted(samples);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    static double percentile(Collection<Double> samples, double p) {
        List<Double> sorted = sorted(samples);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static double max(Collection<Double> samples) {
        return sorted(samples).get(samples.size() - 1);
    }

    private static List<Double> sorted(Collection<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        return samples.stream().sorted().toList();
    }
}
