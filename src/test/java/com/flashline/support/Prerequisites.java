package com.flashline.support;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * The one place a test decides it cannot run because something outside the JVM is missing
 * (umockdev, dfu-util, mosquitto, PostgreSQL, chromium, mounting a file system). On a developer's
 * machine the test is skipped with the reason; in CI ({@code CI=true}, which {@code .ci/run} sets)
 * it fails with the same reason, so a broken CI machine can never turn a suite green by skipping it.
 */
public final class Prerequisites {

    public static final String CI_VARIABLE = "CI";

    private static Function<String, String> environment = System::getenv;

    private Prerequisites() {
    }

    /** True when {@code CI} is {@code true} (any case), as GitHub Actions, GitLab and {@code .ci/run} set it. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(environment.apply(CI_VARIABLE));
    }

    /**
     * Skips (aborts) the calling test with {@code reason}, or fails it under {@code CI=true}; does
     * nothing when {@code reason} is null or blank.
     */
    public static void require(String reason) {
        if (reason == null || reason.isBlank()) {
            return;
        }
        if (onCi()) {
            throw new AssertionFailedError(ciMessage(reason));
        }
        Assumptions.abort(reason);
    }

    /** {@link #require(String)} for the {@code Optional} reasons of {@code UmockdevBridge} and {@code DfuUtil}. */
    public static void require(Optional<String> reason) {
        require(reason.orElse(null));
    }

    /** What a failure under CI says: the reason, and why it is not a skip. */
    public static String ciMessage(String reason) {
        return CI_VARIABLE + "=true, so this suite must run, but it cannot: " + reason;
    }

    /** For the tests of this class: evaluates {@code body} with {@code CI} read from {@code env}. */
    static void withEnvironment(Map<String, String> env, Runnable body) {
        Function<String, String> saved = environment;
        environment = env::get;
        try {
            body.run();
        } finally {
            environment = saved;
        }
    }
}
