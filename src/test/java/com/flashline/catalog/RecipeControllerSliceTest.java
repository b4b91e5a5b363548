package com.flashline.catalog;

import static com.flashline.support.Problems.problem;
import static org.hamcrest.Matchers.hasItem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.flashing.EraseMode;
import com.flashline.support.ControllerSliceTest;
import com.flashline.support.Fixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** The recipes' REST contract: Bean Validation stops bad requests before the service is called. */
@ControllerSliceTest(RecipeController.class)
class RecipeControllerSliceTest {

    private static final Recipe CREATED = new Recipe(7, "board-a", 3, "ab".repeat(32), EraseMode.SECTORS, true, null,
            new OptionBytes(0x1FFF_C000L, "aa55"), false, true, Instant.parse("2026-01-01T00:00:00Z"), "tester");

    @Autowired
    MockMvc mvc;
    @MockitoBean
    RecipeService recipes;

    private ResultActions postJson(String body) throws Exception {
        return mvc.perform(post("/api/v1/recipes").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void invalidBodiesNeverReachTheService() throws Exception {
        postJson("{\"name\":\"  \",\"firmwareId\":0,\"serial\":{\"address\":5000000000,\"format\":\"x{seq}\",\"length\":65}}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors.length()").value(4));
        verifyNoInteractions(recipes);
    }

    @Test
    void missingRequiredFieldsAreListed() throws Exception {
        postJson("{\"eraseMode\":\"MASS\"}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[*].field", hasItem("name")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("firmwareId")));
        verifyNoInteractions(recipes);
    }

    @Test
    void nestedSerialAndOptionByteRulesAreChecked() throws Exception {
        postJson("""
                {"name":"r","firmwareId":3,
                 "serial":{"address":-1,"format":""},
                 "optionBytes":{"address":1,"hex":"abc"}}""")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[*].field", hasItem("serial.address")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("serial.format")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("optionBytes.hex")));
        verifyNoInteractions(recipes);
    }

    @Test
    void unreadableJsonIsMalformed() throws Exception {
        postJson("{\"name\": ").andExpect(problem(400, "MALFORMED_REQUEST"));
        postJson("{\"name\":\"x\",\"firmwareId\":1,\"eraseMode\":\"SOME\"}").andExpect(problem(400, "MALFORMED_REQUEST"));
        verifyNoInteractions(recipes);
    }

    @Test
    void wrongMethodAndMediaTypeAreProblemsToo() throws Exception {
        mvc.perform(put("/api/v1/recipes")).andExpect(problem(405, "METHOD_NOT_ALLOWED"));
        mvc.perform(post("/api/v1/recipes").contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(problem(415, "UNSUPPORTED_MEDIA_TYPE"));
    }

    @Test
    void aValidBodyIsCreatedWithItsLocation() throws Exception {
        when(recipes.create(any(), any())).thenReturn(CREATED);
        postJson("{\"name\":\"board-a\",\"firmwareId\":3}")
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/recipes/7"))
                .andExpect(jsonPath("$.id").value(7))
                .andExpect(jsonPath("$.name").value("board-a"))
                .andExpect(jsonPath("$.firmwareId").value(3))
                .andExpect(jsonPath("$.firmwareSha256").value("ab".repeat(32)))
                .andExpect(jsonPath("$.eraseMode").value("SECTORS"))
                .andExpect(jsonPath("$.verify").value(true))
                .andExpect(jsonPath("$.serial").doesNotExist())
                .andExpect(jsonPath("$.optionBytes.address").value(0x1FFF_C000L))
                .andExpect(jsonPath("$.optionBytes.hex").value("aa55"))
                .andExpect(jsonPath("$.allowUnprotect").value(false))
                .andExpect(jsonPath("$.leave").value(true))
                .andExpect(jsonPath("$.createdAt").value("2026-01-01T00:00:00Z"))
                .andExpect(jsonPath("$.createdBy").value("tester"));
        verify(recipes).create(new CreateRecipeRequest("board-a", 3L, null, null, null, null, null, null), Fixtures.TESTER);
    }

    @Test
    void rulesTheServiceChecksComeBackAsProblems() throws Exception {
        when(recipes.create(any(), any()))
                .thenThrow(DomainException.invalidField("verify", "cannot be false"))
                .thenThrow(new DomainException(ErrorCode.CONFLICT, "a recipe named 'board-a' already exists"))
                .thenThrow(new DomainException(ErrorCode.RECIPE_INVALID, "serial record overlaps firmware segment"));
        String body = "{\"name\":\"board-a\",\"firmwareId\":3}";
        postJson(body).andExpect(problem(400, "VALIDATION")).andExpect(jsonPath("$.errors[0].field").value("verify"));
        postJson(body).andExpect(problem(409, "CONFLICT"));
        postJson(body).andExpect(problem(422, "RECIPE_INVALID"))
                .andExpect(jsonPath("$.detail").value("serial record overlaps firmware segment"));
    }

    @Test
    void recipesAreListedAndFetchedById() throws Exception {
        when(recipes.list()).thenReturn(List.of(CREATED));
        when(recipes.get(7)).thenReturn(CREATED);
        mvc.perform(get("/api/v1/recipes"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].id").value(7));
        mvc.perform(get("/api/v1/recipes/7"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("board-a"));
    }

    @Test
    void anUnknownRecipeIsNotFound() throws Exception {
        when(recipes.get(42)).thenThrow(DomainException.notFound("Recipe", 42));
        mvc.perform(get("/api/v1/recipes/42"))
                .andExpect(problem(404, "NOT_FOUND"))
                .andExpect(jsonPath("$.detail").value("Recipe 42 does not exist"));
    }

    @Test
    void aNonNumericIdIsAValidationError() throws Exception {
        mvc.perform(get("/api/v1/recipes/abc")).andExpect(problem(400, "VALIDATION"));
        verifyNoInteractions(recipes);
    }
}
