package com.flashline.web;

import com.flashline.error.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401, 403 and firewall refusals (400) as problem documents of the same shape as every other error of the API
 * ({@code type, title, status, detail, instance, code}). The answers are the same for every
 * request and every reason, so they tell nothing about the resource asked for, nor whether a
 * username exists or a token was revoked. The security configuration uses it through Spring
 * Security's two interfaces; the status and type come from {@link ProblemDetailsAdvice}'s table.
 */
@Component
public final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    public static final String REALM = "FlashLine";
    public static final String UNAUTHENTICATED_DETAIL =
            "Sign in: HTTP Basic, an API token (Authorization: Bearer), or the login page";
    public static final String FORBIDDEN_DETAIL = "Your roles do not allow this request";
    public static final String REJECTED_DETAIL =
            "The request was refused before it reached the API (e.g. an encoded slash or dot segment in the path)";

    private final JsonMapper json;

    SecurityProblems(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException refused)
            throws IOException {
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\"");
        write(request, response, ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_DETAIL);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        write(request, response, ErrorCode.FORBIDDEN, FORBIDDEN_DETAIL);
    }

    /**
     * A path Spring Security's firewall refuses (encoded slash or dot segment, path parameter,
     * double slash...). The path is not repeated in the answer: it is what was refused.
     */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        write(response, ErrorCode.REQUEST_REJECTED, REJECTED_DETAIL, null);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
            throws IOException {
        write(response, code, detail, request.getRequestURI());
    }

    private void write(HttpServletResponse response, ErrorCode code, String detail, String instance)
            throws IOException {
        int status = ProblemDetailsAdvice.status(code).value();
        Map<String, Object> problem = ProblemDetailsAdvice.problemDocument(code, status, detail, instance);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }
}
