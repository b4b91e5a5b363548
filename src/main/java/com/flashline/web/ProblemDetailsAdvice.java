package com.flashline.web;

import jakarta.servlet.http.HttpServletRequest;
import com.flashline.database.DatabaseFailures;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import jakarta.validation.ConstraintViolationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every error into an RFC 9457 problem document with a stable {@code type} URI and a
 * {@code code} member (see {@link ErrorCode}); validation errors add {@code errors: [{field,
 * message}]}. The one place that decides which HTTP status each {@link ErrorCode} has.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @ExceptionHandler(DomainException.class)
    ResponseEntity<Object> handleDomainException(DomainException ex, WebRequest request) {
        ProblemDetail problem = problem(ex.code(), ex.getMessage());
        ex.details().forEach(problem::setProperty);
        return problemResponse(problem);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> handleConstraintViolation(ConstraintViolationException ex) {
        List<Map<String, String>> errors = ex.getConstraintViolations().stream()
                .map(v -> Map.of("field", lastNode(v.getPropertyPath().toString()), "message", v.getMessage()))
                .toList();
        ProblemDetail problem = problem(ErrorCode.VALIDATION, summary(errors));
        problem.setProperty("errors", errors);
        return problemResponse(problem);
    }

    /** A multipart body without its boundary, or cut short: the client's fault, not the station's. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Object> handleMalformedMultipart(MultipartException ex) {
        return problemResponse(problem(ErrorCode.MALFORMED_REQUEST,
                "Request body is not a valid multipart/form-data body: " + firstLine(rootMessage(ex))));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex, HttpServletRequest request) {
        if (ex instanceof IllegalArgumentException && hasWildcardContentType(request)) {
            // Spring cannot even read the headers of a body declared as "*/*" (HttpHeaders refuses
            // a wildcard Content-Type): a content type the endpoint does not take.
            return problemResponse(problem(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type '" + request.getContentType() + "' is a wildcard; send the body's actual media type"));
        }
        if (DatabaseFailures.isUnavailable(ex)) {
            // An outage, not a bug: 503 with its own code and the driver's reason.
            log.warn("Request refused, database unavailable: {}", DatabaseFailures.rootMessage(ex));
            return problemResponse(problem(ErrorCode.DATABASE_UNAVAILABLE,
                    "The station's database is unavailable: " + DatabaseFailures.rootMessage(ex)
                            + "; nothing was changed, try again when /actuator/health is UP"));
        }
        log.error("Unhandled error", ex);
        return problemResponse(problem(ErrorCode.INTERNAL, "Unexpected error; see the service log"));
    }

    private static boolean hasWildcardContentType(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        try {
            return MediaType.parseMediaType(contentType).isWildcardType();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            errors.add(Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())));
        }
        ex.getBindingResult().getGlobalErrors().forEach(error ->
                errors.add(Map.of("field", error.getObjectName(), "message", String.valueOf(error.getDefaultMessage()))));
        ProblemDetail problem = problem(ErrorCode.VALIDATION, summary(errors));
        problem.setProperty("errors", errors);
        return problemResponse(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                String field = error instanceof FieldError fe ? fe.getField() : name;
                errors.add(Map.of("field", String.valueOf(field), "message", String.valueOf(error.getDefaultMessage())));
            }
        });
        ProblemDetail problem = problem(ErrorCode.VALIDATION, summary(errors));
        problem.setProperty("errors", errors);
        return problemResponse(problem);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> handleTypeMismatch(MethodArgumentTypeMismatchException ex) {
        String detail = "'" + ex.getValue() + "' is not a valid value for " + ex.getName();
        ProblemDetail problem = problem(ErrorCode.VALIDATION, detail);
        problem.setProperty("errors", List.of(Map.of("field", ex.getName(), "message", detail)));
        return problemResponse(problem);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ErrorCode code = codeFor(ex, statusCode);
        String detail = body instanceof ProblemDetail pd && pd.getDetail() != null ? pd.getDetail() : ex.getMessage();
        if (ex instanceof HttpMessageNotReadableException) {
            // Jackson's message names the offending JSON path and token; drop its Java class noise.
            detail = "Request body is not valid JSON for this endpoint: " + firstLine(ex.getMessage());
        }
        ProblemDetail problem = problem(code, detail);
        problem.setStatus(statusCode.value());
        HttpHeaders responseHeaders = new HttpHeaders();
        responseHeaders.addAll(headers);
        responseHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem, responseHeaders, statusCode);
    }

    private static ErrorCode codeFor(Exception ex, HttpStatusCode status) {
        if (ex instanceof HttpMessageNotReadableException) {
            return ErrorCode.MALFORMED_REQUEST;
        }
        if (ex instanceof MissingServletRequestParameterException || ex instanceof MissingServletRequestPartException) {
            return ErrorCode.VALIDATION;
        }
        if (ex instanceof NoResourceFoundException) {
            return ErrorCode.NOT_FOUND;
        }
        if (ex instanceof HttpRequestMethodNotSupportedException) {
            return ErrorCode.METHOD_NOT_ALLOWED;
        }
        if (ex instanceof HttpMediaTypeNotSupportedException) {
            return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
        }
        if (ex instanceof HttpMediaTypeNotAcceptableException) {
            return ErrorCode.NOT_ACCEPTABLE;
        }
        if (ex instanceof MaxUploadSizeExceededException) {
            return ErrorCode.PAYLOAD_TOO_LARGE;
        }
        if (status.value() == HttpStatus.NOT_FOUND.value()) {
            return ErrorCode.NOT_FOUND;
        }
        return status.is4xxClientError() ? ErrorCode.VALIDATION : ErrorCode.INTERNAL;
    }

    /**
     * The HTTP status of each code. The switch has no default, so a code added to
     * {@link ErrorCode} does not compile until it has its status here.
     */
    static HttpStatus status(ErrorCode code) {
        return switch (code) {
            case VALIDATION, MALFORMED_REQUEST, REQUEST_REJECTED -> HttpStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case NOT_ACCEPTABLE -> HttpStatus.NOT_ACCEPTABLE;
            case UNSUPPORTED_MEDIA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case PAYLOAD_TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case CONFLICT, PORT_BUSY, PORT_DISABLED, NO_DEVICE, NO_RECIPE, SERIAL_EXHAUSTED, WORK_ORDER_EXISTS,
                 WORK_ORDER_COMPLETE, WORK_ORDER_CLOSED -> HttpStatus.CONFLICT;
            case FIRMWARE_MALFORMED, RECIPE_INVALID -> HttpStatus.UNPROCESSABLE_CONTENT;
            case DATABASE_UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** {@code urn:flashline:problem:firmware-malformed} for {@code FIRMWARE_MALFORMED}. */
    static URI type(ErrorCode code) {
        return URI.create("urn:flashline:problem:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /**
     * A problem document as a map, for the writers outside Spring MVC (the security edge, the
     * container's error valve); the same members as {@link #problem}'s.
     *
     * @param instance the request path, or null when it is not to be repeated (e.g. a refused path)
     */
    static Map<String, Object> problemDocument(ErrorCode code, int status, String detail, String instance) {
        Map<String, Object> problem = new java.util.LinkedHashMap<>();
        problem.put("type", type(code).toString());
        problem.put("title", code.title());
        problem.put("status", status);
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        problem.put("code", code.name());
        return problem;
    }

    static ProblemDetail problem(ErrorCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status(code), detail);
        problem.setType(type(code));
        problem.setTitle(code.title());
        problem.setProperty("code", code.name());
        return problem;
    }

    private static ResponseEntity<Object> problemResponse(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static String summary(List<Map<String, String>> errors) {
        if (errors.isEmpty()) {
            return "Request is invalid";
        }
        StringBuilder sb = new StringBuilder();
        for (Map<String, String> error : errors) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(error.get("field")).append(": ").append(error.get("message"));
        }
        return sb.toString();
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        int paren = line.indexOf(" (for ");
        return paren < 0 ? line : line.substring(0, paren);
    }
}
