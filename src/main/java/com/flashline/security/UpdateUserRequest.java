package com.flashline.security;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Set;

/** Body of {@code PUT /api/v1/users/{username}}: a field left out (null) stays as it is. */
public record UpdateUserRequest(
        @Size(min = 1) Set<@NotNull Role> roles,
        @Size(min = AccountRules.MIN_LENGTH, max = AccountRules.MAX_LENGTH)
        @Schema(format = "password", description = "at least 12 characters") String password,
        Boolean enabled) {

    @Override
    public String toString() {
        return "UpdateUserRequest[roles=" + roles + ", passwordChanged=" + (password != null) + ", enabled=" + enabled + "]";
    }
}
