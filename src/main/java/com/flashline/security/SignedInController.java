package com.flashline.security;

import com.flashline.audit.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Users")
class SignedInController {

    /**
     * @param actor as records name the caller: a username or {@code token:<name>}
     * @param roles every role the caller holds, including the ones its roles imply (an OPERATOR is a VIEWER too)
     */
    record Me(String actor, Set<Role> roles) {
    }

    private final RoleHierarchy hierarchy;

    SignedInController(RoleHierarchy hierarchy) {
        this.hierarchy = hierarchy;
    }

    @Operation(summary = "Who the caller is and what its roles are (for a client to offer only what it may do)")
    @GetMapping("/api/v1/me")
    Me me(Authentication authentication, Actor actor) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        hierarchy.getReachableGrantedAuthorities(authentication.getAuthorities()).forEach(authority -> {
            for (Role role : Role.values()) {
                if (role.authority().equals(authority.getAuthority())) {
                    roles.add(role);
                }
            }
        });
        return new Me(actor.name(), roles);
    }
}
