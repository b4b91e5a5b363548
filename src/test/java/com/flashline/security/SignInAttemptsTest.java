package com.flashline.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignInAttemptsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T08:00:00Z"));
    private final SignInAttempts attempts = new SignInAttempts(clock,
            new AccessControlProperties.Lockout(5, Duration.ofMinutes(1), Duration.ofSeconds(60)));

    @Test
    void theFifthFailureWithinAMinuteLocksTheUsernameForSixtySeconds() {
        for (int i = 0; i < 4; i++) {
            assertThat(attempts.failed("alice")).isFalse();
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(attempts.locked("alice")).isFalse();
        assertThat(attempts.failed("alice")).as("the fifth failure locks").isTrue();
        assertThat(attempts.locked("alice")).isTrue();
        assertThat(attempts.locked("bob")).isFalse();

        clock.advance(Duration.ofSeconds(59));
        assertThat(attempts.failed("alice")).as("failures while locked neither count nor extend").isFalse();
        assertThat(attempts.locked("alice")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(attempts.locked("alice")).isFalse();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        for (int i = 0; i < 4; i++) {
            attempts.failed("alice");
        }
        clock.advance(Duration.ofSeconds(60));
        assertThat(attempts.failed("alice")).isFalse();
        assertThat(attempts.locked("alice")).isFalse();
    }

    @Test
    void aSuccessClearsTheFailures() {
        for (int i = 0; i < 4; i++) {
            attempts.failed("alice");
        }
        attempts.succeeded("alice");
        assertThat(attempts.failed("alice")).isFalse();
        assertThat(attempts.locked("alice")).isFalse();
    }
}
