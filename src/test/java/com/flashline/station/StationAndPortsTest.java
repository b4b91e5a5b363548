package com.flashline.station;

import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import com.flashline.catalog.Recipe;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

@FlashLineSpringTest
@TestPropertySource(properties = {
        "flashline.ports.[2-1].label=Left slot",
        "flashline.ports.[2-2].label=Right slot"})
class StationAndPortsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    Fixtures fixtures;
    @Autowired
    PortRegistry registry;

    @Test
    void stationSettingsRoundTripAndAreAudited() throws Exception {
        Recipe recipe = fixtures.recipe();
        try {
            changeStationSettings(recipe);
        } finally {
            mvc.perform(put("/api/v1/station").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"defaultRecipeId\":null,\"autoStart\":false}")).andExpect(status().isOk());
        }
    }

    private void changeStationSettings(Recipe recipe) throws Exception {
        mvc.perform(put("/api/v1/station").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"defaultRecipeId\":%d,\"autoStart\":false}".formatted(recipe.id())))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value("test-station"))
                .andExpect(jsonPath("$.defaultRecipeId").value(recipe.id()))
                .andExpect(jsonPath("$.workers").value(4));
        mvc.perform(get("/api/v1/station")).andExpect(jsonPath("$.defaultRecipeId").value(recipe.id()));
        mvc.perform(get("/api/v1/audit").param("limit", "1000"))
                .andExpect(jsonPath("$.records[*].type", hasItem("STATION_CHANGED")));

        mvc.perform(put("/api/v1/station").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"defaultRecipeId\":99999,\"autoStart\":false}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("defaultRecipeId"));
    }

    @Test
    void portsMergeConfigurationApiOverridesAndRuntimeState() throws Exception {
        Recipe recipe = fixtures.recipe();
        registry.deviceArrived("2-2", Fixtures.device("2-2", "SN-RIGHT"));
        registry.chipIdentified("2-2", "UID-RIGHT");

        mvc.perform(get("/api/v1/ports"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.path == '2-1')].label").value("Left slot"))
                .andExpect(jsonPath("$[?(@.path == '2-1')].state").value("EMPTY"))
                .andExpect(jsonPath("$[?(@.path == '2-2')].state").value("DEVICE_PRESENT"))
                .andExpect(jsonPath("$[?(@.path == '2-2')].device.usbSerial").value("SN-RIGHT"))
                .andExpect(jsonPath("$[?(@.path == '2-2')].device.uid").value("UID-RIGHT"));

        mvc.perform(put("/api/v1/ports/2-1").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"Left (rework)\",\"recipeId\":%d}".formatted(recipe.id())))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.label").value("Left (rework)"))
                .andExpect(jsonPath("$.recipeId").value(recipe.id()));
        mvc.perform(put("/api/v1/ports/2-1").with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(jsonPath("$.label").value("Left slot"))
                .andExpect(jsonPath("$.recipeId").doesNotExist());
        mvc.perform(put("/api/v1/ports/1-4.2").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"recipeId\":99999}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("recipeId"));

        registry.deviceRemoved("2-2");
        mvc.perform(get("/api/v1/ports/2-2"))
                .andExpect(jsonPath("$.state").value("EMPTY"))
                .andExpect(jsonPath("$.device").doesNotExist());
    }
}
