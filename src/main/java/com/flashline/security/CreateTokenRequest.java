package com.flashline.security;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Set;

/** Body of {@code POST /api/v1/tokens}: a name, unique for good (audit records say {@code token:<name>}). */
public record CreateTokenRequest(
        @NotNull @Pattern(regexp = AccountRules.NAME_REGEX, message = AccountRules.NAME_MESSAGE) String name,
        @NotEmpty Set<@NotNull Role> roles) {
}
