package com.flashline.bench;

import java.util.Locale;

/**
 * A benchmark setting: the system property {@code name} (e.g. {@code bench.scale.boards}) or,
 * when unset, the environment variable of the same name in upper case with {@code _} for
 * {@code .} ({@code BENCH_SCALE_BOARDS}). The environment is the way in through
 * {@code ./mvnw -Pbench verify}: the profile's forked {@code java} gets only {@code bench.only}
 * and {@code bench.out} as system properties, but inherits the environment.
 */
final class BenchSettings {

    private BenchSettings() {
    }

    static String get(String name, String defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return value == null || value.isBlank() ? defaultValue : value.strip();
    }

    static int integer(String name, int defaultValue) {
        String value = get(name, null);
        try {
            return value == null ? defaultValue : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer: '" + value + "'", e);
        }
    }

    static double decimal(String name, double defaultValue) {
        String value = get(name, null);
        try {
            return value == null ? defaultValue : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: '" + value + "'", e);
        }
    }
}
