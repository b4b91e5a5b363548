package com.flashline.station;

import static com.flashline.support.Problems.problem;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.error.DomainException;
import com.flashline.support.ControllerSliceTest;
import com.flashline.support.Fixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** The station, port and device endpoints' REST contract, with the services and the registry mocked. */
@ControllerSliceTest(StationController.class)
class StationControllerSliceTest {

    private static final Instant SINCE = Instant.parse("2026-01-01T00:00:00Z");

    @Autowired
    MockMvc mvc;
    @MockitoBean
    StationService station;
    @MockitoBean
    PortService ports;
    @MockitoBean
    PortRegistry registry;

    private ResultActions putJson(String path, String body) throws Exception {
        return mvc.perform(put(path).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void theStationsSettingsAreShownAndChanged() throws Exception {
        when(station.view()).thenReturn(new StationSettings("test-station", null, false, 4, "admin", 12L, null));
        when(station.update(new UpdateStationRequest(3L, true), Fixtures.TESTER))
                .thenReturn(new StationSettings("test-station", 3L, true, 4, "tester"));
        mvc.perform(get("/api/v1/station"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value("test-station"))
                .andExpect(jsonPath("$.defaultRecipeId").doesNotExist())
                .andExpect(jsonPath("$.autoStart").value(false))
                .andExpect(jsonPath("$.workers").value(4))
                .andExpect(jsonPath("$.activeWorkOrderId").value(12));
        putJson("/api/v1/station", "{\"defaultRecipeId\":3,\"autoStart\":true}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.defaultRecipeId").value(3))
                .andExpect(jsonPath("$.autoStart").value(true))
                .andExpect(jsonPath("$.activeWorkOrderId").value(org.hamcrest.Matchers.nullValue()));
    }

    @Test
    void stationSettingsBreakingTheRulesNeverReachTheService() throws Exception {
        putJson("/api/v1/station", "{}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("autoStart"));
        putJson("/api/v1/station", "{\"defaultRecipeId\":0,\"autoStart\":false}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("defaultRecipeId"));
        putJson("/api/v1/station", "{\"autoStart\":\"maybe\"}").andExpect(problem(400, "MALFORMED_REQUEST"));
        verifyNoInteractions(station);
    }

    @Test
    void anUnknownDefaultRecipeIsAFieldError() throws Exception {
        UpdateStationRequest request = new UpdateStationRequest(99999L, false);
        when(station.update(request, Fixtures.TESTER))
                .thenThrow(DomainException.invalidField("defaultRecipeId", "recipe 99999 does not exist"));
        putJson("/api/v1/station", "{\"defaultRecipeId\":99999,\"autoStart\":false}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("defaultRecipeId"))
                .andExpect(jsonPath("$.errors[0].message").value("recipe 99999 does not exist"));
    }

    @Test
    void portsAreListedAndFetchedByPath() throws Exception {
        PortView left = new PortView("2-1", "Left slot", 3L, PortState.FAILED, "VERIFY_MISMATCH", null, null, 17L, SINCE);
        PortView right = new PortView("2-2", null, null, PortState.DEVICE_PRESENT, null,
                new PortView.Device("SN-RIGHT", "UID-RIGHT"), null, null, SINCE);
        when(ports.list()).thenReturn(List.of(left, right));
        when(ports.get("2-2")).thenReturn(right);
        mvc.perform(get("/api/v1/ports"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0].path").value("2-1"))
                .andExpect(jsonPath("$[0].label").value("Left slot"))
                .andExpect(jsonPath("$[0].recipeId").value(3))
                .andExpect(jsonPath("$[0].state").value("FAILED"))
                .andExpect(jsonPath("$[0].reason").value("VERIFY_MISMATCH"))
                .andExpect(jsonPath("$[0].lastJobId").value(17))
                .andExpect(jsonPath("$[0].since").value("2026-01-01T00:00:00Z"));
        mvc.perform(get("/api/v1/ports/2-2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("DEVICE_PRESENT"))
                .andExpect(jsonPath("$.device.usbSerial").value("SN-RIGHT"))
                .andExpect(jsonPath("$.device.uid").value("UID-RIGHT"));
    }

    @Test
    void aPortsLabelAndRecipeAreChanged() throws Exception {
        UpdatePortRequest request = new UpdatePortRequest("Left (rework)", 3L);
        when(ports.update("2-1", request, Fixtures.TESTER)).thenReturn(
                new PortView("2-1", "Left (rework)", 3L, PortState.EMPTY, null, null, null, null, SINCE));
        putJson("/api/v1/ports/2-1", "{\"label\":\"Left (rework)\",\"recipeId\":3}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.label").value("Left (rework)"))
                .andExpect(jsonPath("$.recipeId").value(3));
        verify(ports).update("2-1", request, Fixtures.TESTER);
    }

    @Test
    void portPathsAndPortSettingsAreValidated() throws Exception {
        putJson("/api/v1/ports/not_a_port", "{\"label\":\"A\"}").andExpect(problem(400, "VALIDATION"));
        mvc.perform(get("/api/v1/ports/not_a_port")).andExpect(problem(400, "VALIDATION"));
        putJson("/api/v1/ports/2-1", "{\"label\":\"%s\"}".formatted("x".repeat(101)))
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("label"));
        putJson("/api/v1/ports/2-1", "{\"recipeId\":-1}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("recipeId"));
        verifyNoInteractions(ports);
    }

    @Test
    void anUnknownPortRecipeIsAFieldError() throws Exception {
        UpdatePortRequest request = new UpdatePortRequest(null, 99999L);
        when(ports.update("1-4.2", request, Fixtures.TESTER))
                .thenThrow(DomainException.invalidField("recipeId", "recipe 99999 does not exist"));
        putJson("/api/v1/ports/1-4.2", "{\"recipeId\":99999}")
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("recipeId"));
    }

    @Test
    void devicesShowIdentityBootloaderAndMemoryLayout() throws Exception {
        when(registry.ports()).thenReturn(List.of(
                new PortStatus("4-1.2", PortState.EMPTY, null, null, null, null, SINCE),
                new PortStatus("4-1.3", PortState.DEVICE_PRESENT, null,
                        Fixtures.device("4-1.3", "SN-DEV").withChipUid("UID-DEV"), null, null, SINCE)));
        mvc.perform(get("/api/v1/devices"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].port").value("4-1.3"))
                .andExpect(jsonPath("$[0].usbSerial").value("SN-DEV"))
                .andExpect(jsonPath("$[0].vendorId").value("0483"))
                .andExpect(jsonPath("$[0].productId").value("df11"))
                .andExpect(jsonPath("$[0].manufacturer").value("STMicroelectronics"))
                .andExpect(jsonPath("$[0].bootloaderVersion").value("2.2"))
                .andExpect(jsonPath("$[0].uid").value("UID-DEV"))
                .andExpect(jsonPath("$[0].arrivedAt").value("2026-01-01T00:00:00Z"))
                .andExpect(jsonPath("$[0].memory[0].name").value("Internal Flash"))
                .andExpect(jsonPath("$[0].memory[0].regions[0].start").value(0x0800_0000L))
                .andExpect(jsonPath("$[0].memory[0].regions[0].sectorCount").value(4))
                .andExpect(jsonPath("$[0].memory[0].regions[0].sectorSize").value(16384))
                .andExpect(jsonPath("$[0].memory[0].regions[0].readable").value(true))
                .andExpect(jsonPath("$[0].memory[0].regions[0].erasable").value(true))
                .andExpect(jsonPath("$[0].memory[0].regions[0].writeable").value(true));
    }
}
