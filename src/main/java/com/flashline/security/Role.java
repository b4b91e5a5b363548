package com.flashline.security;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;

/**
 * What a user or token may do; one may hold several. Each role includes the rights of the ones
 * below it: {@code ADMIN > ENGINEER > OPERATOR > VIEWER > MES}. What each may do, endpoint by
 * endpoint, is {@link AccessRules}.
 */
public enum Role {
    /** Reads jobs, the audit log (JSON and CSV) and firmware metadata; nothing else. */
    MES,
    /** Reads everything except users and tokens. */
    VIEWER,
    /** Starts and cancels jobs, labels ports, plugs and unplugs simulated boards. */
    OPERATOR,
    /** Uploads firmware, creates recipes, changes station and port settings. */
    ENGINEER,
    /** Everything, and users and tokens. */
    ADMIN;

    /** The authority Spring Security checks: {@code ROLE_ADMIN}. */
    public String authority() {
        return "ROLE_" + name();
    }

    static RoleHierarchy hierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(ADMIN.name()).implies(ENGINEER.name())
                .role(ENGINEER.name()).implies(OPERATOR.name())
                .role(OPERATOR.name()).implies(VIEWER.name())
                .role(VIEWER.name()).implies(MES.name())
                .build();
    }
}
