package com.flashline.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A test run once per seed, {@link #tries()} times: the method takes one {@code long seed} and
 * builds its inputs from {@link RandomCases#random(long)}. Cases are named "seed N", and a failing
 * case's message starts with its seed and the flags that rerun exactly that case.
 *
 * <pre>{@code
 * @SeededTest(tries = 300)
 * void roundTrip(long seed) {
 *     RandomGenerator random = RandomCases.random(seed);
 *     byte[] data = RandomCases.bytes(random, 1, 400);
 *     ...
 * }
 * }</pre>
 *
 * @see RandomCases#SEED_PROPERTY
 * @see RandomCases#TRIES_PROPERTY
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "seed {0}")
@ArgumentsSource(RandomCases.Seeds.class)
@ExtendWith(RandomCases.SeedInFailureMessage.class)
public @interface SeededTest {

    /** How many seeds to run; {@code -Dflashline.test.tries} overrides it for every test. */
    int tries();
}
