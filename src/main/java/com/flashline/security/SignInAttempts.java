package com.flashline.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed password sign-ins per username, for the lockout: {@code maxFailures} failures within
 * {@code window} lock the username for {@code duration}, during which even the right password is
 * refused. Unknown usernames are counted alike, so a lockout says nothing about whether a user
 * exists. Kept in memory, per station: a restart forgets them, as it forgets sessions.
 */
final class SignInAttempts {

    /** Above this many tracked usernames, the ones with nothing left to remember are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Duration duration;
    private final Map<String, Failures> byUsername = new ConcurrentHashMap<>();

    private static final class Failures {
        final Deque<Instant> recent = new ArrayDeque<>();
        Instant lockedUntil;
    }

    SignInAttempts(Clock clock, AccessControlProperties.Lockout lockout) {
        this.clock = clock;
        this.maxFailures = lockout.maxFailures();
        this.window = lockout.window();
        this.duration = lockout.duration();
    }

    Duration lockDuration() {
        return duration;
    }

    /** Whether {@code username} is refused now, whatever the password. */
    boolean locked(String username) {
        Failures failures = byUsername.get(username);
        if (failures == null) {
            return false;
        }
        synchronized (failures) {
            return failures.lockedUntil != null && clock.instant().isBefore(failures.lockedUntil);
        }
    }

    /** Counts a failure; returns true when it is the one that locks the username. */
    boolean failed(String username) {
        if (byUsername.size() > PRUNE_ABOVE) {
            prune();
        }
        Instant now = clock.instant();
        Failures failures = byUsername.computeIfAbsent(username, u -> new Failures());
        synchronized (failures) {
            if (failures.lockedUntil != null && now.isBefore(failures.lockedUntil)) {
                return false;
            }
            failures.lockedUntil = null;
            failures.recent.addLast(now);
            forgetOlderThan(failures, now.minus(window));
            if (failures.recent.size() >= maxFailures) {
                failures.recent.clear();
                failures.lockedUntil = now.plus(duration);
                return true;
            }
            return false;
        }
    }

    /** A successful sign-in clears the username's failures. */
    void succeeded(String username) {
        byUsername.remove(username);
    }

    private static void forgetOlderThan(Failures failures, Instant oldest) {
        while (!failures.recent.isEmpty() && !failures.recent.peekFirst().isAfter(oldest)) {
            failures.recent.removeFirst();
        }
    }

    private void prune() {
        Instant now = clock.instant();
        byUsername.entrySet().removeIf(entry -> {
            Failures failures = entry.getValue();
            synchronized (failures) {
                forgetOlderThan(failures, now.minus(window));
                return failures.recent.isEmpty() && (failures.lockedUntil == null || !now.isBefore(failures.lockedUntil));
            }
        });
    }
}
