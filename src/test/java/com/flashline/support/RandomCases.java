package com.flashline.support;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.params.provider.AnnotationBasedArgumentsProvider;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.support.ParameterDeclarations;
import org.opentest4j.TestAbortedException;

/**
 * Seeded random test cases without a property-testing framework: the seeds for
 * {@link SeededTest} (or for a {@code @MethodSource}), the random source built from a seed, and
 * generators for the usual shapes.
 *
 * <p>There is no shrinking and no automatic edge-case generation, so the generators spend a fixed
 * share of their draws on boundaries ({@link #intBetween} returns min, min+1, max-1, max or 0 about
 * one time in five; {@link #bytes} returns the shortest and longest lengths and all-0x00 / all-0xFF
 * contents as often). Tests should add the boundaries that matter to their domain the same way.
 *
 * <p>Seeds run from {@value #SEED_PROPERTY} (default 0) upwards; {@value #TRIES_PROPERTY} replaces
 * every test's number of tries. {@code -Dflashline.test.seed=17 -Dflashline.test.tries=1} reruns
 * the case named "seed 17"; a large base seed and many tries explore new cases.
 */
public final class RandomCases {

    public static final String SEED_PROPERTY = "flashline.test.seed";
    public static final String TRIES_PROPERTY = "flashline.test.tries";

    /** One draw in this many is a boundary value instead of a uniform one. */
    private static final int EDGE_ONE_IN = 5;

    private RandomCases() {
    }

    /** {@code tries} consecutive seeds from the base seed, both overridable by system properties. */
    public static LongStream seeds(int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be at least 1, was " + tries);
        }
        long base = Long.getLong(SEED_PROPERTY, 0L);
        return LongStream.range(0, Integer.getInteger(TRIES_PROPERTY, tries)).map(i -> base + i);
    }

    /** The random source of one case; the same seed always yields the same draws. */
    public static RandomGenerator random(long seed) {
        // SplittableRandom mixes its seed, so neighbouring seeds give unrelated cases
        // (java.util.Random's first draws from consecutive seeds are correlated).
        return new SplittableRandom(seed);
    }

    /** A value in [min, max] (both inclusive), biased toward min, min+1, max-1, max and 0. */
    public static int intBetween(RandomGenerator random, int min, int max) {
        return Math.toIntExact(longBetween(random, min, max));
    }

    /** A value in [min, max] (both inclusive), biased toward min, min+1, max-1, max and 0. */
    public static long longBetween(RandomGenerator random, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
        }
        if (random.nextInt(EDGE_ONE_IN) == 0) {
            long[] edges = {min, min + 1, max - 1, max, 0};
            long edge = edges[random.nextInt(edges.length)];
            if (edge >= min && edge <= max) {
                return edge;
            }
        }
        if (max < Long.MAX_VALUE) {
            return random.nextLong(min, max + 1);
        }
        return min > Long.MIN_VALUE ? random.nextLong(min - 1, max) + 1 : random.nextLong();
    }

    /**
     * Random bytes of a length in [minLength, maxLength]; lengths are biased like
     * {@link #intBetween}, and about one array in five is all 0x00 or all 0xFF.
     */
    public static byte[] bytes(RandomGenerator random, int minLength, int maxLength) {
        byte[] bytes = new byte[intBetween(random, minLength, maxLength)];
        switch (random.nextInt(2 * EDGE_ONE_IN)) {
            case 0 -> { } // all 0x00
            case 1 -> Arrays.fill(bytes, (byte) 0xFF);
            default -> random.nextBytes(bytes);
        }
        return bytes;
    }

    /** Any byte, biased toward 0x00, 0x01, 0x7F, 0x80 and 0xFF. */
    public static byte anyByte(RandomGenerator random) {
        if (random.nextInt(EDGE_ONE_IN) == 0) {
            byte[] edges = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFF};
            return edges[random.nextInt(edges.length)];
        }
        return (byte) random.nextInt(256);
    }

    /** A list of [minSize, maxSize] elements (sizes biased like {@link #intBetween}). */
    public static <T> List<T> listOf(RandomGenerator random, int minSize, int maxSize,
            Function<RandomGenerator, T> element) {
        int size = intBetween(random, minSize, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(random));
        }
        return list;
    }

    /** One of the given values, uniformly. */
    @SafeVarargs
    public static <T> T oneOf(RandomGenerator random, T... values) {
        return values[random.nextInt(values.length)];
    }

    /** One constant of the enum, uniformly. */
    public static <E extends Enum<E>> E oneOf(RandomGenerator random, Class<E> type) {
        return oneOf(random, type.getEnumConstants());
    }

    /** Supplies the seeds of a {@link SeededTest}. */
    static final class Seeds extends AnnotationBasedArgumentsProvider<SeededTest> {
        @Override
        protected Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters,
                ExtensionContext context, SeededTest test) {
            return seeds(test.tries()).mapToObj(Arguments::of);
        }
    }

    /** Puts the failing case's seed, and how to rerun it, in front of its failure message. */
    static final class SeedInFailureMessage implements InvocationInterceptor {
        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation,
                ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext)
                throws Throwable {
            try {
                invocation.proceed();
            } catch (TestAbortedException aborted) {
                throw aborted;
            } catch (Throwable failure) {
                Object seed = invocationContext.getArguments().get(0);
                String described = failure instanceof AssertionError ? String.valueOf(failure.getMessage())
                        : failure.toString();
                throw new AssertionError("seed " + seed + " (rerun with -D" + SEED_PROPERTY + "=" + seed
                        + " -D" + TRIES_PROPERTY + "=1): " + described, failure);
            }
        }
    }
}
