package com.flashline.security;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The people who sign in: created, changed and deleted by ADMINs, each change an audit record
 * (which never holds a password). At least one enabled ADMIN always remains, so that nobody locks
 * the station's administration out. A change to a user ends that user's browser sessions.
 */
@Service
public class UserAccounts {

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final SignedInSessions sessions;
    private final AuditLog auditLog;
    private final Clock clock;

    UserAccounts(UserRepository users, PasswordEncoder encoder, SignedInSessions sessions, AuditLog auditLog,
            Clock clock) {
        this.users = users;
        this.encoder = encoder;
        this.sessions = sessions;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Transactional
    public UserView create(CreateUserRequest request, Actor actor) {
        if (Actor.RESERVED.contains(request.username())) {
            throw DomainException.invalidField("username", "'" + request.username() + "' is reserved");
        }
        if (users.findByUsername(request.username()).isPresent()) {
            throw new DomainException(ErrorCode.CONFLICT, "a user named '" + request.username() + "' already exists");
        }
        UserEntity user;
        try {
            user = users.saveAndFlush(new UserEntity(request.username(), encode(request.password()), request.roles(),
                    clock.instant(), actor.name()));
        } catch (DataIntegrityViolationException raced) {
            throw new DomainException(ErrorCode.CONFLICT, "a user named '" + request.username() + "' already exists");
        }
        audit(AuditType.USER_CREATED, actor, "username=" + user.username() + " roles=" + user.roles() + " enabled=true");
        return user.view();
    }

    @Transactional(readOnly = true)
    public List<UserView> list() {
        return users.findAllByOrderByUsernameAsc().stream().map(UserEntity::view).toList();
    }

    @Transactional
    public UserView update(String username, UpdateUserRequest request, Actor actor) {
        UserEntity user = users.findByUsername(username).orElseThrow(() -> DomainException.notFound("User", username));
        List<String> changes = new ArrayList<>();
        if (request.roles() != null) {
            user.changeRoles(request.roles());
            changes.add("roles=" + user.roles());
        }
        if (request.enabled() != null) {
            user.enable(request.enabled());
            changes.add("enabled=" + request.enabled());
        }
        if (request.password() != null) {
            user.changePasswordHash(encode(request.password()));
            changes.add("password=changed");
        }
        user.touched(clock.instant(), actor.name());
        users.flush();
        requireAnAdmin();
        audit(AuditType.USER_CHANGED, actor, "username=" + username + " " + String.join(" ", changes));
        sessions.endAllOf(username);
        return user.view();
    }

    @Transactional
    public void delete(String username, Actor actor) {
        UserEntity user = users.findByUsername(username).orElseThrow(() -> DomainException.notFound("User", username));
        users.delete(user);
        users.flush();
        requireAnAdmin();
        audit(AuditType.USER_DELETED, actor, "username=" + username);
        sessions.endAllOf(username);
    }

    /**
     * The bootstrap: creates {@code username} or resets it to {@code password}, enabled, with at
     * least {@code roles}. Writes nothing when the user is already so.
     *
     * @return whether anything changed
     */
    @Transactional
    public boolean ensure(String username, String password, Set<Role> roles, Actor actor) {
        Optional<UserEntity> existing = users.findByUsername(username);
        if (existing.isEmpty()) {
            UserEntity user = users.saveAndFlush(new UserEntity(username, encode(password), roles, clock.instant(),
                    actor.name()));
            audit(AuditType.USER_CREATED, actor, "username=" + username + " roles=" + user.roles() + " enabled=true");
            return true;
        }
        UserEntity user = existing.get();
        if (user.enabled() && user.roles().containsAll(roles) && encoder.matches(password, user.passwordHash())) {
            return false;
        }
        Set<Role> merged = user.roles();
        merged.addAll(roles);
        user.changeRoles(merged);
        user.enable(true);
        user.changePasswordHash(encode(password));
        user.touched(clock.instant(), actor.name());
        users.flush();
        audit(AuditType.USER_CHANGED, actor, "username=" + username + " roles=" + user.roles()
                + " enabled=true password=reset");
        sessions.endAllOf(username);
        return true;
    }

    /** Whether a user of that name exists. */
    @Transactional(readOnly = true)
    public boolean exists(String username) {
        return users.findByUsername(username).isPresent();
    }

    @Transactional(readOnly = true)
    public long count() {
        return users.count();
    }

    /** The stored user for a sign-in; empty when there is none. */
    @Transactional(readOnly = true)
    Optional<StoredUser> forSignIn(String username) {
        return users.findByUsername(username)
                .map(u -> new StoredUser(u.username(), u.passwordHash(), u.enabled(), u.roles()));
    }

    /** What a sign-in checks against. */
    record StoredUser(String username, String passwordHash, boolean enabled, Set<Role> roles) {
    }

    private String encode(String password) {
        if (password.getBytes(StandardCharsets.UTF_8).length > AccountRules.MAX_LENGTH) {
            throw DomainException.invalidField("password", "must be at most " + AccountRules.MAX_LENGTH + " bytes in UTF-8");
        }
        return encoder.encode(password);
    }

    private void requireAnAdmin() {
        if (users.countEnabledWithRole(Role.ADMIN) == 0) {
            throw new DomainException(ErrorCode.CONFLICT, "at least one enabled user with role ADMIN must remain");
        }
    }

    private void audit(AuditType type, Actor actor, String detail) {
        auditLog.append(AuditEntry.of(type, actor).detail(detail).build());
    }
}
