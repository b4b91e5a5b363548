package com.flashline.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Sign-in and bootstrap settings, bound from {@code flashline.security.*} and documented in
 * {@code config/application.yml}.
 *
 * @param adminPassword when set, the user {@code admin} (role ADMIN) is created or reset to this
 *                      password at every start ({@code FLASHLINE_SECURITY_ADMIN_PASSWORD}); when
 *                      unset and no user exists, a random one is generated and logged once
 * @param initialUsers  users created at start when no user of that name exists (the demo's)
 * @param lockout       brute-force protection of password sign-ins
 */
@Validated
@ConfigurationProperties("flashline.security")
public record AccessControlProperties(
        @Size(min = AccountRules.MIN_LENGTH, max = AccountRules.MAX_LENGTH) String adminPassword,
        List<@Valid InitialUser> initialUsers,
        @Valid @DefaultValue Lockout lockout) {

    public AccessControlProperties {
        initialUsers = initialUsers == null ? List.of() : List.copyOf(initialUsers);
    }

    /** A user to create at start unless one of that name exists; the password follows the policy. */
    public record InitialUser(
            @NotNull @Pattern(regexp = AccountRules.NAME_REGEX) String username,
            @NotNull @Size(min = AccountRules.MIN_LENGTH, max = AccountRules.MAX_LENGTH) String password,
            @NotEmpty Set<Role> roles) {
    }

    /**
     * @param maxFailures failed sign-ins of one username within {@code window} that lock it
     * @param window      how far back failures count
     * @param duration    how long a locked username is refused, even with the right password
     */
    public record Lockout(@Min(1) @Max(100) @DefaultValue("5") int maxFailures,
                          @NotNull @DefaultValue("1m") Duration window,
                          @NotNull @DefaultValue("60s") Duration duration) {
    }
}
