package com.flashline.web;

import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * Every error the API returns, with its HTTP status. The {@code type} URI and the {@code code}
 * property of the problem document are derived from the constant name and are part of the API
 * contract: clients branch on them, so a constant is never renamed.
 */
public enum ProblemCode {
    /** A request field, parameter or path variable broke a rule; {@code errors} lists them. */
    VALIDATION(HttpStatus.BAD_REQUEST, "Invalid request"),
    /** The body is not readable JSON or has a wrongly typed value. */
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request"),
    /** No valid credentials (HTTP Basic, bearer token or session); the answer carries WWW-Authenticate. */
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Sign-in required"),
    /** Signed in, but no role of the caller allows this request. */
    FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Upload too large"),
    /** The request is well formed but contradicts the current state (e.g. cancelling a finished job). */
    CONFLICT(HttpStatus.CONFLICT, "Conflict"),
    /** The port already has a queued or running job. */
    PORT_BUSY(HttpStatus.CONFLICT, "Port busy"),
    /** No device is attached to the port. */
    NO_DEVICE(HttpStatus.CONFLICT, "No device on port"),
    /** No recipe given and none configured for the port or the station. */
    NO_RECIPE(HttpStatus.CONFLICT, "No recipe for port"),
    /** The uploaded firmware file cannot be parsed; the detail names where. */
    FIRMWARE_MALFORMED(HttpStatus.UNPROCESSABLE_CONTENT, "Malformed firmware"),
    /** The recipe contradicts itself or its firmware (e.g. the serial record overlaps the image). */
    RECIPE_INVALID(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid recipe"),
    /** The recipe's serial sequence cannot produce another number in its format. */
    SERIAL_EXHAUSTED(HttpStatus.CONFLICT, "Serial numbers exhausted"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    private final HttpStatus status;
    private final String title;

    ProblemCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** {@code urn:flashline:problem:firmware-malformed} for {@code FIRMWARE_MALFORMED}. */
    public URI type() {
        return URI.create("urn:flashline:problem:" + name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
}
