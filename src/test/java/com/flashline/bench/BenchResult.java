package com.flashline.bench;

import java.util.Locale;

/**
 * One measured number. {@code target} and {@code pass} are null for informational metrics;
 * otherwise {@code pass} says whether {@code value} met the target in the given direction.
 * {@code hog}: the cores CPU hogs took while it was measured ({@code bench.hog}), 0 for none;
 * written to the JSON line only when not 0, so that lines of ordinary runs keep their shape.
 */
public record BenchResult(String benchmark, String metric, double value, String unit, Double target, Boolean pass,
        int hog) {

    public BenchResult(String benchmark, String metric, double value, String unit, Double target, Boolean pass) {
        this(benchmark, metric, value, unit, target, pass, 0);
    }

    /** The same result, measured with {@code cores} cores taken by CPU hogs. */
    public BenchResult withHog(int cores) {
        return new BenchResult(benchmark, metric, value, unit, target, pass, cores);
    }

    public static BenchResult atLeast(String benchmark, String metric, double value, String unit, double target) {
        return new BenchResult(benchmark, metric, value, unit, target, value >= target);
    }

    public static BenchResult atMost(String benchmark, String metric, double value, String unit, double target) {
        return new BenchResult(benchmark, metric, value, unit, target, value <= target);
    }

    public static BenchResult info(String benchmark, String metric, double value, String unit) {
        return new BenchResult(benchmark, metric, value, unit, null, null);
    }

    /** One JSON object on one line (the launcher's results.jsonl format). */
    public String toJson() {
        return "{\"benchmark\":" + quote(benchmark) + ",\"metric\":" + quote(metric) + ",\"value\":" + number(value)
                + ",\"unit\":" + quote(unit) + ",\"target\":" + (target == null ? "null" : number(target))
                + ",\"pass\":" + (pass == null ? "null" : pass.toString()) + (hog == 0 ? "" : ",\"hog\":" + hog) + "}";
    }

    private static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
