package com.flashline.security;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens for machines (fixtures, MES, Prometheus). A token is 256 random bits, shown once when
 * it is created; only its SHA-256 is stored, which is enough for a secret of that entropy (no
 * slow hash is needed against guessing, and a lookup per request stays cheap). A revoked token is
 * refused from the next request on: every request looks its token up.
 */
@Service
public class ApiTokens {

    /** Marks the string as a FlashLine token, for people and for secret scanners. */
    static final String PREFIX = "flt_";
    private static final int RANDOM_BYTES = 32;
    /** {@code lastUsedAt} is written at most this often per token, not on every request. */
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    /** The token a request presented, once it is known to be valid. */
    public record TokenPrincipal(long id, String name, Set<Role> roles) {
    }

    private final ApiTokenRepository tokens;
    private final JdbcClient jdbc;
    private final AuditLog auditLog;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiTokens(ApiTokenRepository tokens, JdbcClient jdbc, AuditLog auditLog, Clock clock) {
        this.tokens = tokens;
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Transactional
    public CreatedToken create(CreateTokenRequest request, Actor actor) {
        if (tokens.existsByName(request.name())) {
            throw new DomainException(ErrorCode.CONFLICT, "a token named '" + request.name()
                    + "' exists or existed; names are never reused, so that audit records name one token");
        }
        byte[] secret = new byte[RANDOM_BYTES];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiTokenEntity stored;
        try {
            stored = tokens.saveAndFlush(new ApiTokenEntity(request.name(), sha256(token), request.roles(),
                    clock.instant(), actor.name()));
        } catch (DataIntegrityViolationException raced) {
            throw new DomainException(ErrorCode.CONFLICT, "a token named '" + request.name() + "' exists or existed");
        }
        auditLog.append(AuditEntry.of(AuditType.TOKEN_CREATED, actor)
                .detail("id=" + stored.id() + " name=" + stored.name() + " roles=" + stored.roles()).build());
        return new CreatedToken(stored.id(), stored.name(), stored.roles(), token, stored.createdAt());
    }

    /** The tokens that are not revoked, oldest first, without their secrets. */
    @Transactional(readOnly = true)
    public List<TokenView> list() {
        return tokens.findByRevokedAtIsNullOrderByIdAsc().stream().map(ApiTokenEntity::view).toList();
    }

    @Transactional
    public void revoke(long id, Actor actor) {
        ApiTokenEntity token = tokens.findById(id).filter(t -> !t.revoked())
                .orElseThrow(() -> DomainException.notFound("Token", id));
        token.revoke(clock.instant(), actor.name());
        tokens.flush();
        auditLog.append(AuditEntry.of(AuditType.TOKEN_REVOKED, actor)
                .detail("id=" + id + " name=" + token.name()).build());
    }

    /**
     * The token {@code presented} in a request, when it exists and is not revoked. Plain SQL, one
     * indexed read per request (and a write at most once per {@link #LAST_USED_RESOLUTION}).
     */
    public Optional<TokenPrincipal> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 100) {
            return Optional.empty();
        }
        record Row(long id, String name, Instant lastUsedAt, Role role) {
        }
        List<Row> rows = jdbc.sql("SELECT t.id, t.name, t.last_used_at, r.role FROM api_token t "
                        + "JOIN api_token_role r ON r.token_id = t.id WHERE t.token_sha256 = ? AND t.revoked_at IS NULL")
                .param(sha256(presented))
                .query((rs, n) -> {
                    OffsetDateTime used = rs.getObject(3, OffsetDateTime.class);
                    return new Row(rs.getLong(1), rs.getString(2), used == null ? null : used.toInstant(),
                            Role.valueOf(rs.getString(4)));
                })
                .list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Row first = rows.get(0);
        Instant now = clock.instant();
        if (first.lastUsedAt() == null || first.lastUsedAt().isBefore(now.minus(LAST_USED_RESOLUTION))) {
            jdbc.sql("UPDATE api_token SET last_used_at = ? WHERE id = ?").params(Timestamp.from(now), first.id()).update();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        rows.forEach(row -> roles.add(row.role()));
        return Optional.of(new TokenPrincipal(first.id(), first.name(), roles));
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
