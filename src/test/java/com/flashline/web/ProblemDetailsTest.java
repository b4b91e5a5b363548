package com.flashline.web;

import com.flashline.station.StationService;
import com.flashline.workorder.WorkOrderService;
import org.junit.jupiter.api.BeforeEach;
import static com.flashline.support.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
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

/**
 * Rules the services check against stored data, through the whole application: each broken one
 * comes back as a problem document with its code, and bad input writes nothing. The request
 * checks the web layer makes alone are in the controllers' slice tests.
 */
@FlashLineSpringTest
class ProblemDetailsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    Fixtures fixtures;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    WorkOrderService workOrders;
    @Autowired
    StationService station;

    /** The shared context's station as these cases expect it: no default recipe, no active work order. */
    @BeforeEach
    void stationWithoutRecipe() throws Exception {
        mvc.perform(put("/api/v1/station").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"defaultRecipeId\":null,\"autoStart\":false}"));
        workOrders.activeWorkOrderId(station.stationId()).ifPresent(id -> workOrders.close(id, Fixtures.TESTER));
    }

    private ResultActions postJson(String path, String body) throws Exception {
        return mvc.perform(post(path).with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void aBadSerialFormatIsRejectedAndNoRecipeIsWritten() throws Exception {
        Firmware firmware = fixtures.firmware();
        String name = Fixtures.unique("r");
        postJson("/api/v1/recipes", """
                {"name":"%s","firmwareId":%d,"serial":{"address":%d,"format":"FL-{seq}-{seq}"}}"""
                .formatted(name, firmware.id(), Fixtures.SERIAL_ADDRESS))
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("serial.format"));
        assertNoRecipeNamed(name);
    }

    @Test
    void verifyCannotBeSwitchedOff() throws Exception {
        Firmware firmware = fixtures.firmware();
        String name = Fixtures.unique("r");
        postJson("/api/v1/recipes", "{\"name\":\"%s\",\"firmwareId\":%d,\"verify\":false}".formatted(name, firmware.id()))
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("verify"));
        assertNoRecipeNamed(name);
    }

    @Test
    void aSerialRecordInsideTheImageIsAnInvalidRecipe() throws Exception {
        Firmware firmware = fixtures.firmware();
        String name = Fixtures.unique("r");
        postJson("/api/v1/recipes", """
                {"name":"%s","firmwareId":%d,"serial":{"address":%d,"format":"u32le"}}"""
                .formatted(name, firmware.id(), Fixtures.FLASH + 16))
                .andExpect(problem(422, "RECIPE_INVALID"))
                .andExpect(jsonPath("$.detail", containsString("overlaps firmware segment")));
        assertNoRecipeNamed(name);
    }

    @Test
    void anUnknownFirmwareIsAFieldError() throws Exception {
        postJson("/api/v1/recipes", "{\"name\":\"x\",\"firmwareId\":999999}").andExpect(problem(400, "VALIDATION"));
    }

    @Test
    void unknownIdsAreNotFound() throws Exception {
        mvc.perform(get("/api/v1/recipes/987654")).andExpect(problem(404, "NOT_FOUND"));
        mvc.perform(get("/api/v1/firmware/987654")).andExpect(problem(404, "NOT_FOUND"));
        mvc.perform(get("/api/v1/jobs/987654")).andExpect(problem(404, "NOT_FOUND"));
        mvc.perform(get("/swagger-ui/no-such-file.js")).andExpect(problem(404, "NOT_FOUND"));
    }

    @Test
    void aPathNoAccessRuleNamesIsForbiddenEvenToAnAdmin() throws Exception {
        // Deny by default: the API has no such endpoint, so no rule lets anyone call it.
        mvc.perform(get("/api/v1/no-such-endpoint")).andExpect(problem(403, "FORBIDDEN"));
    }

    @Test
    void aMethodNoHandlerServesIsAProblemBehindTheAccessRules() throws Exception {
        // /api/v1/tokens is open to ADMIN for every method, so the missing PUT handler shows.
        mvc.perform(put("/api/v1/tokens").with(csrf())).andExpect(problem(405, "METHOD_NOT_ALLOWED"));
    }

    @Test
    void aJobForAnEmptyPortIsRefused() throws Exception {
        postJson("/api/v1/jobs", "{\"port\":\"7-7\"}").andExpect(problem(409, "NO_RECIPE"));
        long recipe = fixtures.recipe().id();
        postJson("/api/v1/jobs", "{\"port\":\"7-7\",\"recipeId\":%d}".formatted(recipe)).andExpect(problem(409, "NO_DEVICE"));
    }

    private void assertNoRecipeNamed(String name) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM recipe WHERE name = ?", Integer.class, name);
        assertThat(count).isZero();
    }
}
