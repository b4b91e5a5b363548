package com.flashline.error;

/**
 * Every error the API reports. The constant names are part of the API contract: the problem
 * document's {@code type} URI and {@code code} member are derived from them and clients branch on
 * them, so a constant is never renamed. The HTTP status of each code is decided in {@code web}.
 */
public enum ErrorCode {
    /** A request field, parameter or path variable broke a rule; {@code errors} lists them. */
    VALIDATION("Invalid request"),
    /** The body is not readable JSON or has a wrongly typed value. */
    MALFORMED_REQUEST("Malformed request"),
    /**
     * The path or request line was refused before it reached the API: an encoded slash,
     * backslash or dot segment, a path parameter, a double slash (Tomcat or Spring Security's
     * firewall).
     */
    REQUEST_REJECTED("Request rejected"),
    /** No valid credentials (HTTP Basic, bearer token or session); the answer carries WWW-Authenticate. */
    UNAUTHENTICATED("Sign-in required"),
    /** Signed in, but no role of the caller allows this request. */
    FORBIDDEN("Forbidden"),
    NOT_FOUND("Not found"),
    METHOD_NOT_ALLOWED("Method not allowed"),
    NOT_ACCEPTABLE("Not acceptable"),
    UNSUPPORTED_MEDIA_TYPE("Unsupported media type"),
    PAYLOAD_TOO_LARGE("Upload too large"),
    /** The request is well formed but contradicts the current state (e.g. cancelling a finished job). */
    CONFLICT("Conflict"),
    /** The port already has a queued or running job. */
    PORT_BUSY("Port busy"),
    /** The port is interlocked after failed jobs in a row; an operator enables it again. */
    PORT_DISABLED("Port disabled"),
    /** No device is attached to the port. */
    NO_DEVICE("No device on port"),
    /** No recipe given and none configured for the port or the station. */
    NO_RECIPE("No recipe for port"),
    /** The uploaded firmware file cannot be parsed; the detail names where. */
    FIRMWARE_MALFORMED("Malformed firmware"),
    /** The recipe contradicts itself or its firmware (e.g. the serial record overlaps the image). */
    RECIPE_INVALID("Invalid recipe"),
    /** The recipe's serial sequence cannot produce another number in its format. */
    SERIAL_EXHAUSTED("Serial numbers exhausted"),
    /** A work order with this number exists already; {@code number} names it. */
    WORK_ORDER_EXISTS("Work order exists"),
    /**
     * The work order's {@code passed} count has reached its quantity: no job starts under it (and it
     * cannot be activated again); {@code workOrder}, {@code passed} and {@code quantity} say which.
     */
    WORK_ORDER_COMPLETE("Work order complete"),
    /** The work order is closed: it cannot be activated or closed again. */
    WORK_ORDER_CLOSED("Work order closed"),
    /**
     * The station's database cannot be reached or cannot store anything (server away, disk full);
     * nothing was changed, and the same request may be sent again when health is UP.
     */
    DATABASE_UNAVAILABLE("Database unavailable"),
    INTERNAL("Internal error");

    private final String title;

    ErrorCode(String title) {
        this.title = title;
    }

    /** A short summary of the kind of error, the same for every occurrence. */
    public String title() {
        return title;
    }
}
