package com.flashline.web;

import java.util.Map;

/** An error the API reports as a problem document with the given code. */
public class ApiException extends RuntimeException {

    private final ProblemCode code;
    private final transient Map<String, Object> properties;

    public ApiException(ProblemCode code, String detail) {
        this(code, detail, Map.of());
    }

    public ApiException(ProblemCode code, String detail, Map<String, Object> properties) {
        super(detail);
        this.code = code;
        this.properties = Map.copyOf(properties);
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(ProblemCode.NOT_FOUND, what + " " + id + " does not exist");
    }

    /** A {@link ProblemCode#VALIDATION} error on one field, shaped like Bean Validation's. */
    public static ApiException invalidField(String field, String message) {
        return new ApiException(ProblemCode.VALIDATION, field + ": " + message,
                Map.of("errors", java.util.List.of(Map.of("field", field, "message", message))));
    }

    public ProblemCode code() {
        return code;
    }

    /** Extra members of the problem document (e.g. {@code line} for a firmware error). */
    public Map<String, Object> properties() {
        return properties;
    }
}
