package com.flashline.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request the domain refuses, with the {@link ErrorCode} that says why and a message for a
 * person. Services throw it without knowing who asked; the web layer turns it into a problem
 * document, and a caller inside the service (e.g. auto-start) can read the code instead.
 */
public class DomainException extends RuntimeException {

    private final ErrorCode code;
    private final transient Map<String, Object> details;

    public DomainException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    /** @param details facts a client may act on, kept in the order given */
    public DomainException(ErrorCode code, String message, Map<String, ?> details) {
        super(message);
        this.code = code;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static DomainException notFound(String what, Object id) {
        return new DomainException(ErrorCode.NOT_FOUND, what + " " + id + " does not exist");
    }

    /**
     * A {@link ErrorCode#VALIDATION} error on one field, shaped like Bean Validation's so that
     * clients read rule violations found by the service and by the request checks alike.
     */
    public static DomainException invalidField(String field, String message) {
        return new DomainException(ErrorCode.VALIDATION, field + ": " + message,
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    public ErrorCode code() {
        return code;
    }

    /**
     * Named facts beside the message (e.g. {@code errors} for a validation error, {@code reason}
     * and {@code location} for a malformed firmware file); the API shows each as a member of the
     * problem document.
     */
    public Map<String, Object> details() {
        return details;
    }
}
