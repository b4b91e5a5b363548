package com.flashline.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by an API token; its name is the token's name. */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final ApiTokens.TokenPrincipal token;

    ApiTokenAuthentication(ApiTokens.TokenPrincipal token) {
        super(token.roles().stream().map(role -> new SimpleGrantedAuthority(role.authority())).toList());
        this.token = token;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public ApiTokens.TokenPrincipal getPrincipal() {
        return token;
    }

    @Override
    public String getName() {
        return token.name();
    }
}
