package com.flashline.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401 and 403 as problem documents of the same shape as every other error of the API
 * ({@code type, title, status, detail, instance, code}), for the security filter chains, which
 * know it only as Spring Security's {@link AuthenticationEntryPoint} and
 * {@link AccessDeniedHandler}. The answers are the same for every request and every reason, so
 * they tell nothing about the resource asked for, nor whether a username exists or a token was
 * revoked.
 */
@Component
public final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    public static final String REALM = "FlashLine";
    public static final String UNAUTHENTICATED_DETAIL =
            "Sign in: HTTP Basic, an API token (Authorization: Bearer), or the login page";
    public static final String FORBIDDEN_DETAIL = "Your roles do not allow this request";

    private final JsonMapper json;

    SecurityProblems(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException refused)
            throws IOException {
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\"");
        write(request, response, ProblemCode.UNAUTHENTICATED, UNAUTHENTICATED_DETAIL);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        write(request, response, ProblemCode.FORBIDDEN, FORBIDDEN_DETAIL);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, ProblemCode code, String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", code.type().toString());
        problem.put("title", code.title());
        problem.put("status", code.status().value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        problem.put("code", code.name());
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }
}
