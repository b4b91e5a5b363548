package com.flashline.security;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Set;

/** Body of {@code POST /api/v1/users}. */
public record CreateUserRequest(
        @NotNull @Pattern(regexp = AccountRules.NAME_REGEX, message = AccountRules.NAME_MESSAGE) String username,
        @NotNull @Size(min = AccountRules.MIN_LENGTH, max = AccountRules.MAX_LENGTH)
        @Schema(format = "password", description = "at least 12 characters") String password,
        @NotEmpty Set<@NotNull Role> roles) {

    @Override
    public String toString() {
        return "CreateUserRequest[username=" + username + ", roles=" + roles + "]";
    }
}
