package com.flashline.security;

import java.time.Instant;
import java.util.Set;

/** A user as {@code /api/v1/users} shows it: never the password or its hash. */
public record UserView(String username, Set<Role> roles, boolean enabled, Instant createdAt, String createdBy,
        Instant updatedAt, String updatedBy) {
}
