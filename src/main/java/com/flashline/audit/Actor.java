package com.flashline.audit;

import java.util.Set;

/**
 * Who did something: a signed-in user's name, {@code token:<name>} for an API token, or
 * {@code system} for what the station does by itself (auto-started jobs, crash recovery). The
 * security layer resolves it from the request and passes it down; the domain never looks it up.
 *
 * @param name as stored in {@code actor}, {@code started_by}, {@code created_by} ... columns
 */
public record Actor(String name) {

    /** What the station does by itself. */
    public static final Actor SYSTEM = new Actor("system");
    /** Someone who has not signed in (e.g. a failed sign-in). */
    public static final Actor ANONYMOUS = new Actor("anonymous");
    /** Records written before actors were recorded (set by the V3 migration). */
    public static final Actor UNKNOWN = new Actor("unknown");
    /** Names no user may take, so that an actor is never ambiguous. */
    public static final Set<String> RESERVED = Set.of(SYSTEM.name, ANONYMOUS.name, UNKNOWN.name);
    static final String TOKEN_PREFIX = "token:";

    public Actor {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("an actor is named by 1..100 characters");
        }
    }

    public static Actor user(String username) {
        return new Actor(username);
    }

    public static Actor token(String tokenName) {
        return new Actor(TOKEN_PREFIX + tokenName);
    }

    @Override
    public String toString() {
        return name;
    }
}
