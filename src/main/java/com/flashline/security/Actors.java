package com.flashline.security;

import com.flashline.audit.Actor;
import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * The {@link Actor} of a request, for controller methods that declare an {@code Actor} parameter:
 * the signed-in user's name, or {@code token:<name>} for an API token. Controllers pass it down to
 * the services; nothing below them reads the security context.
 */
final class Actors implements HandlerMethodArgumentResolver {

    static Actor of(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            // Only reachable through an endpoint whose rule lets anyone in, which none that acts does.
            throw new IllegalStateException("an action needs a signed-in caller");
        }
        return authentication instanceof ApiTokenAuthentication token ? Actor.token(token.getName())
                : Actor.user(authentication.getName());
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Actor.class;
    }

    @Override
    public Actor resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }
}
