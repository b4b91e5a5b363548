package com.flashline.security;

import com.flashline.audit.Actor;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * At start, before the first request: the configured initial users (the demo's) that do not exist
 * yet are created; {@code flashline.security.admin-password}, when set, creates or resets
 * {@code admin} (role ADMIN, enabled); and when still no user exists, {@code admin} is created with
 * a random password that is logged this once, so that a new station can always be signed in to.
 */
@Component
class AccountBootstrap implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(AccountBootstrap.class);
    static final String ADMIN = "admin";

    private final UserAccounts users;
    private final AccessControlProperties properties;

    AccountBootstrap(UserAccounts users, AccessControlProperties properties) {
        this.users = users;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        run();
    }

    void run() {
        for (AccessControlProperties.InitialUser user : properties.initialUsers()) {
            boolean adminFromProperty = user.username().equals(ADMIN) && properties.adminPassword() != null;
            if (!adminFromProperty && !users.exists(user.username())) {
                users.ensure(user.username(), user.password(), user.roles(), Actor.SYSTEM);
                log.info("created the initial user '{}' with roles {}", user.username(), user.roles());
            }
        }
        if (properties.adminPassword() != null) {
            if (users.ensure(ADMIN, properties.adminPassword(), Set.of(Role.ADMIN), Actor.SYSTEM)) {
                log.info("user '{}' created or reset from flashline.security.admin-password", ADMIN);
            }
        } else if (users.count() == 0) {
            String password = randomPassword();
            users.ensure(ADMIN, password, Set.of(Role.ADMIN), Actor.SYSTEM);
            log.warn("No user exists: created '{}' (role ADMIN) with the password {}  - shown only this once; "
                    + "sign in and change it (PUT /api/v1/users/{}), or set flashline.security.admin-password",
                    ADMIN, password, ADMIN);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
