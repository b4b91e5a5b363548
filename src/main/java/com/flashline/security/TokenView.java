package com.flashline.security;

import java.time.Instant;
import java.util.Set;

/**
 * A token as {@code GET /api/v1/tokens} lists it: never the token itself.
 *
 * @param lastUsedAt when it last authenticated a request (to the minute), or null when never
 */
public record TokenView(long id, String name, Set<Role> roles, Instant createdAt, String createdBy,
        Instant lastUsedAt) {
}
