package com.flashline.security;

import java.time.Instant;
import java.util.Set;

/**
 * The answer to {@code POST /api/v1/tokens}: the only place the token is ever shown. Only its
 * SHA-256 is stored.
 */
public record CreatedToken(long id, String name, Set<Role> roles, String token, Instant createdAt) {

    @Override
    public String toString() {
        return "CreatedToken[id=" + id + ", name=" + name + ", roles=" + roles + "]";
    }
}
