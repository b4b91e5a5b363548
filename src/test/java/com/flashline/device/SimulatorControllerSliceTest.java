package com.flashline.device;

import static com.flashline.support.Problems.problem;
import static org.hamcrest.Matchers.contains;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimulatedStm32;
import com.flashline.support.ControllerSliceTest;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.InOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The simulated fixture's REST contract, with the fixture mocked. */
@ControllerSliceTest(SimulatorController.class)
@TestPropertySource(properties = "flashline.simulator.enabled=true")
class SimulatorControllerSliceTest {

    private static final byte[] UID = {0x20, 0, 0x31, 0, 0x0B, 'L', 'O', 'T', 'A', 'B', 'C', 'D'};

    @Autowired
    MockMvc mvc;
    @MockitoBean
    SimulatedFixture fixture;

    private static SimulatedStm32 board() {
        return SimulatedStm32.builder(ChipProfile.STM32F407).uniqueId(UID).serialNumber("SIM-SN-1").build();
    }

    @Test
    void everyPortIsListedWithItsBoardOrEmpty() throws Exception {
        when(fixture.ports()).thenReturn(List.of("sim-1", "sim-2"));
        when(fixture.board("sim-1")).thenReturn(Optional.of(board()));
        when(fixture.board("sim-2")).thenReturn(Optional.empty());
        mvc.perform(get("/api/v1/simulator/ports"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0].path").value("sim-1"))
                .andExpect(jsonPath("$[0].presence").value("BOOTLOADER"))
                .andExpect(jsonPath("$[0].usbSerial").value("SIM-SN-1"))
                .andExpect(jsonPath("$[0].uid").value("200031000B4C4F5441424344"))
                .andExpect(jsonPath("$[0].enumerations").value(1))
                .andExpect(jsonPath("$[0].violations").value(0))
                .andExpect(jsonPath("$[1].path").value("sim-2"))
                .andExpect(jsonPath("$[1].presence").value("EMPTY"))
                .andExpect(jsonPath("$[1].usbSerial").doesNotExist())
                .andExpect(jsonPath("$[1].enumerations").value(0));
    }

    @Test
    void aBoardIsPutOnAPortOfTheFixture() throws Exception {
        when(fixture.owns("sim-1")).thenReturn(true);
        when(fixture.plug("sim-1")).thenReturn(board());
        mvc.perform(post("/api/v1/simulator/ports/sim-1/board"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.path").value("sim-1"))
                .andExpect(jsonPath("$.presence").value("BOOTLOADER"))
                .andExpect(jsonPath("$.usbSerial").value("SIM-SN-1"));
    }

    @Test
    void boardsPutOnSeveralPortsAtOnceArriveInTheOrderListed() throws Exception {
        when(fixture.owns(anyString())).thenReturn(true);
        when(fixture.plug(anyString())).thenAnswer(call -> board());
        mvc.perform(post("/api/v1/simulator/boards").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"ports\": [\"sim-2\", \"sim-1\", \"sim-3\"]}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$[*].path").value(contains("sim-2", "sim-1", "sim-3")))
                .andExpect(jsonPath("$[*].presence").value(contains("BOOTLOADER", "BOOTLOADER", "BOOTLOADER")));
        InOrder order = inOrder(fixture);
        order.verify(fixture).plug("sim-2");
        order.verify(fixture).plug("sim-1");
        order.verify(fixture).plug("sim-3");
    }

    @Test
    void aListWithAnUnknownPortPlugsNothing() throws Exception {
        when(fixture.owns("sim-1")).thenReturn(true);
        when(fixture.owns("sim-99")).thenReturn(false);
        mvc.perform(post("/api/v1/simulator/boards").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"ports\": [\"sim-1\", \"sim-99\"]}"))
                .andExpect(problem(404, "NOT_FOUND"))
                .andExpect(jsonPath("$.detail").value("Simulated port sim-99 does not exist"));
        verify(fixture, never()).plug(anyString());
    }

    @Test
    void aListNamingAPortTwicePlugsNothing() throws Exception {
        when(fixture.owns(anyString())).thenReturn(true);
        mvc.perform(post("/api/v1/simulator/boards").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"ports\": [\"sim-1\", \"sim-2\", \"sim-1\"]}"))
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("ports"))
                .andExpect(jsonPath("$.errors[0].message").value("lists sim-1 more than once"));
        verify(fixture, never()).plug(anyString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"ports\": []}", "{\"ports\": [null]}", "{\"ports\": [\"not_a_port\"]}",
            "{\"ports\": \"sim-1\"}", "[]", "not json"})
    void aBadListIsAValidationErrorAndPlugsNothing(String body) throws Exception {
        when(fixture.owns(anyString())).thenReturn(true);
        mvc.perform(post("/api/v1/simulator/boards").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        verify(fixture, never()).plug(anyString());
    }

    @Test
    void aListLongerThanAnyFixtureIsRefused() throws Exception {
        when(fixture.owns(anyString())).thenReturn(true);
        String ports = IntStream.rangeClosed(1, SimulatorController.MAX_PORTS_AT_ONCE + 1)
                .mapToObj(i -> "\"sim-" + i + "\"").collect(Collectors.joining(","));
        mvc.perform(post("/api/v1/simulator/boards").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"ports\": [" + ports + "]}"))
                .andExpect(problem(400, "VALIDATION"));
        verify(fixture, never()).plug(anyString());
    }

    @Test
    void aBoardIsTakenOffAPortOfTheFixture() throws Exception {
        when(fixture.owns("sim-1")).thenReturn(true);
        mvc.perform(delete("/api/v1/simulator/ports/sim-1/board"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.path").value("sim-1"))
                .andExpect(jsonPath("$.presence").value("EMPTY"));
        verify(fixture).unplug("sim-1");
    }

    @Test
    void aPortOutsideTheFixtureIsNotFound() throws Exception {
        when(fixture.owns("sim-99")).thenReturn(false);
        mvc.perform(post("/api/v1/simulator/ports/sim-99/board"))
                .andExpect(problem(404, "NOT_FOUND"))
                .andExpect(jsonPath("$.detail").value("Simulated port sim-99 does not exist"));
        mvc.perform(delete("/api/v1/simulator/ports/sim-99/board")).andExpect(problem(404, "NOT_FOUND"));
        verify(fixture, never()).plug(anyString());
        verify(fixture, never()).unplug(anyString());
    }

    @Test
    void aMalformedPortPathIsAValidationError() throws Exception {
        mvc.perform(post("/api/v1/simulator/ports/not_a_port/board")).andExpect(problem(400, "VALIDATION"));
        verify(fixture, never()).plug(anyString());
    }
}
