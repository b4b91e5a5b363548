package com.flashline.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import com.flashline.catalog.Firmware;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** Every error comes back as a problem document with a stable type and code; bad input writes nothing. */
@FlashLineSpringTest
class ProblemDetailsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    Fixtures fixtures;
    @Autowired
    JdbcTemplate jdbc;

    private ResultActions postJson(String path, String body) throws Exception {
        return mvc.perform(post(path).with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static void expectProblem(ResultActions result, int status, String code) throws Exception {
        result.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value(code))
                .andExpect(jsonPath("$.type").value("urn:flashline:problem:" + code.toLowerCase().replace('_', '-')))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.title").isNotEmpty())
                .andExpect(jsonPath("$.detail").isNotEmpty());
    }

    @Test
    void missingRequiredRecipeFieldsAreListed() throws Exception {
        ResultActions result = postJson("/api/v1/recipes", "{\"eraseMode\":\"MASS\"}");
        expectProblem(result, 400, "VALIDATION");
        result.andExpect(jsonPath("$.errors[*].field", hasItem("name")))
              .andExpect(jsonPath("$.errors[*].field", hasItem("firmwareId")));
    }

    @Test
    void nestedSerialAndOptionByteRulesAreChecked() throws Exception {
        Firmware firmware = fixtures.firmware();
        ResultActions result = postJson("/api/v1/recipes", """
                {"name":"%s","firmwareId":%d,
                 "serial":{"address":-1,"format":""},
                 "optionBytes":{"address":1,"hex":"abc"}}""".formatted(Fixtures.unique("r"), firmware.id()));
        expectProblem(result, 400, "VALIDATION");
        result.andExpect(jsonPath("$.errors[*].field", hasItem("serial.address")))
              .andExpect(jsonPath("$.errors[*].field", hasItem("serial.format")))
              .andExpect(jsonPath("$.errors[*].field", hasItem("optionBytes.hex")));
    }

    @Test
    void aBadSerialFormatIsRejectedAndNoRecipeIsWritten() throws Exception {
        Firmware firmware = fixtures.firmware();
        String name = Fixtures.unique("r");
        ResultActions result = postJson("/api/v1/recipes", """
                {"name":"%s","firmwareId":%d,"serial":{"address":%d,"format":"FL-{seq}-{seq}"}}"""
                .formatted(name, firmware.id(), Fixtures.SERIAL_ADDRESS));
        expectProblem(result, 400, "VALIDATION");
        result.andExpect(jsonPath("$.errors[0].field").value("serial.format"));
        assertNoRecipeNamed(name);
    }

    @Test
    void verifyCannotBeSwitchedOff() throws Exception {
        Firmware firmware = fixtures.firmware();
        String name = Fixtures.unique("r");
        ResultActions result = postJson("/api/v1/recipes",
                "{\"name\":\"%s\",\"firmwareId\":%d,\"verify\":false}".formatted(name, firmware.id()));
        expectProblem(result, 400, "VALIDATION");
        result.andExpect(jsonPath("$.errors[0].field").value("verify"));
        assertNoRecipeNamed(name);
    }

    @Test
    void aSerialRecordInsideTheImageIsAnInvalidRecipe() throws Exception {
        Firmware firmware = fixtures.firmware();
        String name = Fixtures.unique("r");
        ResultActions result = postJson("/api/v1/recipes", """
                {"name":"%s","firmwareId":%d,"serial":{"address":%d,"format":"u32le"}}"""
                .formatted(name, firmware.id(), Fixtures.FLASH + 16));
        expectProblem(result, 422, "RECIPE_INVALID");
        result.andExpect(jsonPath("$.detail", containsString("overlaps firmware segment")));
        assertNoRecipeNamed(name);
    }

    @Test
    void anUnknownFirmwareIsAFieldError() throws Exception {
        expectProblem(postJson("/api/v1/recipes", "{\"name\":\"x\",\"firmwareId\":999999}"), 400, "VALIDATION");
    }

    @Test
    void unreadableJsonIsMalformed() throws Exception {
        expectProblem(postJson("/api/v1/recipes", "{\"name\": "), 400, "MALFORMED_REQUEST");
        expectProblem(postJson("/api/v1/recipes", "{\"name\":\"x\",\"firmwareId\":1,\"eraseMode\":\"SOME\"}"), 400,
                "MALFORMED_REQUEST");
    }

    @Test
    void unknownIdsAreNotFound() throws Exception {
        expectProblem(mvc.perform(get("/api/v1/recipes/987654")), 404, "NOT_FOUND");
        expectProblem(mvc.perform(get("/api/v1/firmware/987654")), 404, "NOT_FOUND");
        expectProblem(mvc.perform(get("/api/v1/jobs/987654")), 404, "NOT_FOUND");
        expectProblem(mvc.perform(get("/swagger-ui/no-such-file.js")), 404, "NOT_FOUND");
    }

    @Test
    void aPathNoAccessRuleNamesIsForbiddenEvenToAnAdmin() throws Exception {
        // Deny by default: the API has no such endpoint, so no rule lets anyone call it.
        expectProblem(mvc.perform(get("/api/v1/no-such-endpoint")), 403, "FORBIDDEN");
    }

    @Test
    void aNonNumericIdIsAValidationError() throws Exception {
        expectProblem(mvc.perform(get("/api/v1/recipes/abc")), 400, "VALIDATION");
    }

    @Test
    void portPathsAreValidatedByPattern() throws Exception {
        ResultActions put = mvc.perform(put("/api/v1/ports/not_a_port").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"label\":\"A\"}"));
        expectProblem(put, 400, "VALIDATION");
        ResultActions job = postJson("/api/v1/jobs", "{\"port\":\"../etc\"}");
        expectProblem(job, 400, "VALIDATION");
        job.andExpect(jsonPath("$.errors[0].field").value("port"));
    }

    @Test
    void queryParametersAreValidated() throws Exception {
        expectProblem(mvc.perform(get("/api/v1/jobs").param("size", "0")), 400, "VALIDATION");
        expectProblem(mvc.perform(get("/api/v1/jobs").param("state", "SLEEPING")), 400, "VALIDATION");
        expectProblem(mvc.perform(get("/api/v1/audit").param("limit", "5000")), 400, "VALIDATION");
    }

    @Test
    void aJobForAnEmptyPortIsRefused() throws Exception {
        expectProblem(postJson("/api/v1/jobs", "{\"port\":\"7-7\"}"), 409, "NO_RECIPE");
        long recipe = fixtures.recipe().id();
        expectProblem(postJson("/api/v1/jobs", "{\"port\":\"7-7\",\"recipeId\":%d}".formatted(recipe)), 409, "NO_DEVICE");
    }

    @Test
    void wrongMethodAndMediaTypeAreProblemsToo() throws Exception {
        // /api/v1/tokens is open to ADMIN for every method, so the missing PUT handler shows.
        expectProblem(mvc.perform(put("/api/v1/tokens").with(csrf())), 405, "METHOD_NOT_ALLOWED");
        expectProblem(mvc.perform(post("/api/v1/recipes").with(csrf()).contentType(MediaType.TEXT_PLAIN).content("x")), 415,
                "UNSUPPORTED_MEDIA_TYPE");
    }

    private void assertNoRecipeNamed(String name) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM recipe WHERE name = ?", Integer.class, name);
        org.assertj.core.api.Assertions.assertThat(count).isZero();
    }
}
