package com.flashline.web;

import static com.flashline.support.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.support.ControllerSliceTest;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The advice alone, behind a controller that throws what services throw: each {@link ErrorCode}
 * answers with the status and title the API documents (docs/api.md), and every problem document
 * has the same shape.
 */
@ControllerSliceTest(ProblemDetailsAdviceTest.Throwing.class)
@Import(ProblemDetailsAdviceTest.Throwing.class)
class ProblemDetailsAdviceTest {

    record Documented(int status, String title) {
    }

    /** The API contract: clients branch on these, so none of them changes. */
    static final Map<ErrorCode, Documented> DOCUMENTED = Map.ofEntries(
            Map.entry(ErrorCode.VALIDATION, new Documented(400, "Invalid request")),
            Map.entry(ErrorCode.MALFORMED_REQUEST, new Documented(400, "Malformed request")),
            Map.entry(ErrorCode.REQUEST_REJECTED, new Documented(400, "Request rejected")),
            Map.entry(ErrorCode.UNAUTHENTICATED, new Documented(401, "Sign-in required")),
            Map.entry(ErrorCode.FORBIDDEN, new Documented(403, "Forbidden")),
            Map.entry(ErrorCode.NOT_FOUND, new Documented(404, "Not found")),
            Map.entry(ErrorCode.METHOD_NOT_ALLOWED, new Documented(405, "Method not allowed")),
            Map.entry(ErrorCode.NOT_ACCEPTABLE, new Documented(406, "Not acceptable")),
            Map.entry(ErrorCode.UNSUPPORTED_MEDIA_TYPE, new Documented(415, "Unsupported media type")),
            Map.entry(ErrorCode.PAYLOAD_TOO_LARGE, new Documented(413, "Upload too large")),
            Map.entry(ErrorCode.CONFLICT, new Documented(409, "Conflict")),
            Map.entry(ErrorCode.PORT_BUSY, new Documented(409, "Port busy")),
            Map.entry(ErrorCode.PORT_DISABLED, new Documented(409, "Port disabled")),
            Map.entry(ErrorCode.NO_DEVICE, new Documented(409, "No device on port")),
            Map.entry(ErrorCode.NO_RECIPE, new Documented(409, "No recipe for port")),
            Map.entry(ErrorCode.FIRMWARE_MALFORMED, new Documented(422, "Malformed firmware")),
            Map.entry(ErrorCode.RECIPE_INVALID, new Documented(422, "Invalid recipe")),
            Map.entry(ErrorCode.SERIAL_EXHAUSTED, new Documented(409, "Serial numbers exhausted")),
            Map.entry(ErrorCode.WORK_ORDER_EXISTS, new Documented(409, "Work order exists")),
            Map.entry(ErrorCode.WORK_ORDER_COMPLETE, new Documented(409, "Work order complete")),
            Map.entry(ErrorCode.WORK_ORDER_CLOSED, new Documented(409, "Work order closed")),
            Map.entry(ErrorCode.DATABASE_UNAVAILABLE, new Documented(503, "Database unavailable")),
            Map.entry(ErrorCode.INTERNAL, new Documented(500, "Internal error")));

    @RestController
    static class Throwing {

        private final Validator validator;

        Throwing(Validator validator) {
            this.validator = validator;
        }

        record Named(@NotBlank String name) {
        }

        @GetMapping("/test/code/{code}")
        void code(@PathVariable ErrorCode code) {
            throw new DomainException(code, "what went wrong");
        }

        @GetMapping("/test/details")
        void details() {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", "HEX_CHECKSUM");
            details.put("location", "line 2");
            throw new DomainException(ErrorCode.FIRMWARE_MALFORMED, "bad.hex: checksum", details);
        }

        @GetMapping("/test/invalid-field")
        void invalidField() {
            throw DomainException.invalidField("serial.start", "does not fit the format");
        }

        @GetMapping("/test/not-found")
        void notFound() {
            throw DomainException.notFound("Recipe", 42);
        }

        @GetMapping("/test/constraint")
        void constraint() {
            throw new ConstraintViolationException(validator.validate(new Named(" ")));
        }

        @GetMapping("/test/bug")
        void bug() {
            throw new IllegalStateException("internal state nobody outside should read");
        }

        @GetMapping("/test/count")
        int count(@RequestParam int count) {
            return count;
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void theDocumentedTableCoversEveryCode() {
        assertThat(DOCUMENTED).containsOnlyKeys(ErrorCode.values());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeHasAnErrorStatus(ErrorCode code) {
        assertThat(ProblemDetailsAdvice.status(code).isError()).as("status of %s", code).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void aDomainErrorAnswersWithItsCodesDocumentedStatusAndTitle(ErrorCode code) throws Exception {
        Documented documented = DOCUMENTED.get(code);
        mvc.perform(get("/test/code/{code}", code))
                .andExpect(problem(documented.status(), code.name()))
                .andExpect(jsonPath("$.title").value(documented.title()))
                .andExpect(jsonPath("$.detail").value("what went wrong"));
    }

    @Test
    void detailsBecomeMembersOfTheProblemDocument() throws Exception {
        mvc.perform(get("/test/details"))
                .andExpect(problem(422, "FIRMWARE_MALFORMED"))
                .andExpect(jsonPath("$.detail").value("bad.hex: checksum"))
                .andExpect(jsonPath("$.reason").value("HEX_CHECKSUM"))
                .andExpect(jsonPath("$.location").value("line 2"));
    }

    @Test
    void aFieldRuleBrokenInAServiceIsListedLikeBeanValidationErrors() throws Exception {
        mvc.perform(get("/test/invalid-field"))
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.detail").value("serial.start: does not fit the format"))
                .andExpect(jsonPath("$.errors.length()").value(1))
                .andExpect(jsonPath("$.errors[0].field").value("serial.start"))
                .andExpect(jsonPath("$.errors[0].message").value("does not fit the format"));
    }

    @Test
    void somethingMissingIsNotFound() throws Exception {
        mvc.perform(get("/test/not-found"))
                .andExpect(problem(404, "NOT_FOUND"))
                .andExpect(jsonPath("$.detail").value("Recipe 42 does not exist"));
        mvc.perform(get("/api/v1/no-such-endpoint")).andExpect(problem(404, "NOT_FOUND"));
    }

    @Test
    void constraintViolationsAreListedByTheirLastPropertyNode() throws Exception {
        mvc.perform(get("/test/constraint"))
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("name"))
                .andExpect(jsonPath("$.errors[0].message").isNotEmpty());
    }

    @Test
    void aMissingOrMistypedParameterIsAValidationError() throws Exception {
        mvc.perform(get("/test/count")).andExpect(problem(400, "VALIDATION"));
        mvc.perform(get("/test/count").param("count", "many"))
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("count"));
        mvc.perform(get("/test/count").param("count", "3")).andExpect(status().isOk());
    }

    @Test
    void anUnexpectedErrorIsInternalAndDoesNotShowItsMessage() throws Exception {
        mvc.perform(get("/test/bug"))
                .andExpect(problem(500, "INTERNAL"))
                .andExpect(jsonPath("$.detail").value("Unexpected error; see the service log"));
    }
}
