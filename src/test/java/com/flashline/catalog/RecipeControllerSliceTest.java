package com.flashline.catalog;

import com.flashline.flashing.EraseMode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import com.flashline.support.FlashLineSpringTest;
import com.flashline.web.ApiException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Web layer alone: Bean Validation stops bad requests before the service is called. The slice has
 * Spring Boot's default security, not FlashLine's rules (those are tested on the whole service, see
 * {@code security.AccessRulesTest}), so it signs in and sends a CSRF token like a browser.
 */
@WebMvcTest(controllers = RecipeController.class, properties = FlashLineSpringTest.ONLY_CLASSPATH_CONFIG)
@WithMockUser(username = FlashLineSpringTest.USER, roles = "ENGINEER")
class RecipeControllerSliceTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    RecipeService recipes;

    @Test
    void invalidBodiesNeverReachTheService() throws Exception {
        mvc.perform(post("/api/v1/recipes").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"  \",\"firmwareId\":0,\"serial\":{\"address\":5000000000,\"format\":\"x{seq}\",\"length\":65}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION"))
                .andExpect(jsonPath("$.errors.length()").value(4));
        verifyNoInteractions(recipes);
    }

    @Test
    void aValidBodyIsCreatedWithItsLocation() throws Exception {
        Recipe created = new Recipe(7, "board-a", 3, "ab".repeat(32), EraseMode.SECTORS, true, null, null, false, true,
                Instant.parse("2026-01-01T00:00:00Z"), "tester");
        when(recipes.create(any(), any())).thenReturn(created);
        mvc.perform(post("/api/v1/recipes").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"board-a\",\"firmwareId\":3}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/recipes/7"))
                .andExpect(jsonPath("$.eraseMode").value("SECTORS"))
                .andExpect(jsonPath("$.verify").value(true))
                .andExpect(jsonPath("$.leave").value(true));
    }

    @Test
    void serviceErrorsBecomeProblems() throws Exception {
        when(recipes.get(42)).thenThrow(ApiException.notFound("Recipe", 42));
        mvc.perform(get("/api/v1/recipes/42"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("urn:flashline:problem:not-found"))
                .andExpect(jsonPath("$.detail").value("Recipe 42 does not exist"));
    }
}
