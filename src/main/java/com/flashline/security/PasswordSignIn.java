package com.flashline.security;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Username and password sign-in, for HTTP Basic and the login page alike. Every refusal gives
 * the same answer ("Bad credentials"): unknown user, wrong password, disabled user, or a username
 * locked after too many failures ({@link SignInAttempts}). An unknown user costs the same password
 * check as a known one, so the time does not tell either. Each refusal is a SIGN_IN_FAILED audit
 * record and the failure that locks a username a SIGN_IN_LOCKED one; neither holds the password.
 */
class PasswordSignIn implements AuthenticationProvider {

    static final String REFUSED = "Bad credentials";

    private final UserAccounts users;
    private final PasswordEncoder encoder;
    private final SignInAttempts attempts;
    private final AuditLog auditLog;
    /** A hash of a password nobody knows, checked for unknown users (computed once, when first needed). */
    private volatile String unknownUserHash;

    PasswordSignIn(UserAccounts users, PasswordEncoder encoder, SignInAttempts attempts, AuditLog auditLog) {
        this.users = users;
        this.encoder = encoder;
        this.attempts = attempts;
        this.auditLog = auditLog;
    }

    @Override
    public Authentication authenticate(Authentication request) {
        String username = request.getName();
        String password = request.getCredentials() == null ? "" : request.getCredentials().toString();
        if (attempts.locked(username)) {
            throw refused(request, "locked");
        }
        Optional<UserAccounts.StoredUser> user = users.forSignIn(username);
        boolean matches = encoder.matches(password, user.map(UserAccounts.StoredUser::passwordHash)
                .orElseGet(this::unknownUserHash));
        if (user.isEmpty() || !matches) {
            throw refused(request, "bad-credentials");
        }
        if (!user.get().enabled()) {
            throw refused(request, "disabled");
        }
        attempts.succeeded(username);
        List<SimpleGrantedAuthority> authorities = user.get().roles().stream()
                .map(role -> new SimpleGrantedAuthority(role.authority())).toList();
        UsernamePasswordAuthenticationToken result =
                UsernamePasswordAuthenticationToken.authenticated(username, null, authorities);
        result.setDetails(request.getDetails());
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private BadCredentialsException refused(Authentication request, String reason) {
        String username = request.getName();
        boolean nowLocked = attempts.failed(username);
        String from = request.getDetails() instanceof WebAuthenticationDetails web ? " from=" + web.getRemoteAddress() : "";
        String who = "username=" + (username.length() > 64 ? username.substring(0, 64) + "..." : username);
        auditLog.append(AuditEntry.of(AuditType.SIGN_IN_FAILED, Actor.ANONYMOUS)
                .detail(who + " reason=" + reason + from).build());
        if (nowLocked) {
            auditLog.append(AuditEntry.of(AuditType.SIGN_IN_LOCKED, Actor.ANONYMOUS)
                    .detail(who + " refused for the next " + attempts.lockDuration().toSeconds() + " s" + from).build());
        }
        return new BadCredentialsException(REFUSED);
    }

    private String unknownUserHash() {
        String hash = unknownUserHash;
        if (hash == null) {
            hash = encoder.encode(UUID.randomUUID().toString());
            unknownUserHash = hash;
        }
        return hash;
    }
}
