package com.flashline.catalog;

import static com.flashline.support.Problems.problem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.flashline.error.DomainException;
import com.flashline.support.ControllerSliceTest;
import com.flashline.support.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The firmware endpoints' REST contract, with the catalog mocked. */
@ControllerSliceTest(FirmwareController.class)
class FirmwareControllerSliceTest {

    private static final byte[] CONTENT = ":00000001FF\n".getBytes(StandardCharsets.US_ASCII);
    private static final Firmware STORED = new Firmware(5, "Blinky", "2.1.0", "INTEL_HEX", "app.hex", "a".repeat(64),
            "b".repeat(64), 120, 32, null, Instant.parse("2026-01-01T00:00:00Z"),
            List.of(new FirmwareSegment(0x0800_0000L, 32)), "tester");

    @Autowired
    MockMvc mvc;
    @MockitoBean
    FirmwareCatalog catalog;

    private static MockMultipartFile file(String name, byte[] content) {
        return new MockMultipartFile("file", name, "application/octet-stream", content);
    }

    @Test
    void anUploadIsCreatedWithItsLocationAndRecord() throws Exception {
        when(catalog.upload(CONTENT, "app.hex", "Blinky", "2.1.0", 134217728L, Fixtures.TESTER))
                .thenReturn(STORED);
        mvc.perform(multipart("/api/v1/firmware").file(file("app.hex", CONTENT))
                        .param("name", "Blinky").param("version", "2.1.0").param("baseAddress", "134217728"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/firmware/5"))
                .andExpect(jsonPath("$.id").value(5))
                .andExpect(jsonPath("$.name").value("Blinky"))
                .andExpect(jsonPath("$.version").value("2.1.0"))
                .andExpect(jsonPath("$.format").value("INTEL_HEX"))
                .andExpect(jsonPath("$.fileName").value("app.hex"))
                .andExpect(jsonPath("$.sha256").value("a".repeat(64)))
                .andExpect(jsonPath("$.contentSha256").value("b".repeat(64)))
                .andExpect(jsonPath("$.sizeBytes").value(120))
                .andExpect(jsonPath("$.imageBytes").value(32))
                .andExpect(jsonPath("$.uploadedAt").value("2026-01-01T00:00:00Z"))
                .andExpect(jsonPath("$.segments[0].address").value(0x0800_0000L))
                .andExpect(jsonPath("$.segments[0].length").value(32))
                .andExpect(jsonPath("$.uploadedBy").value("tester"));
    }

    @Test
    void uploadingStoredContentAgainAnswersCreatedWithTheStoredRecord() throws Exception {
        when(catalog.upload(any(), any(), any(), any(), any(), any())).thenReturn(STORED);
        mvc.perform(multipart("/api/v1/firmware").file(file("copy.hex", CONTENT)))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/firmware/5"))
                .andExpect(jsonPath("$.id").value(5));
        verify(catalog).upload(CONTENT, "copy.hex", null, null, null, Fixtures.TESTER);
    }

    @Test
    void anEmptyOrMissingFileOrABadParameterIsAValidationError() throws Exception {
        mvc.perform(multipart("/api/v1/firmware").file(file("x.hex", new byte[0])))
                .andExpect(problem(400, "VALIDATION"))
                .andExpect(jsonPath("$.errors[0].field").value("file"));
        mvc.perform(multipart("/api/v1/firmware").param("name", "nothing"))
                .andExpect(problem(400, "VALIDATION"));
        mvc.perform(multipart("/api/v1/firmware").file(file("x.bin", CONTENT)).param("baseAddress", "-5"))
                .andExpect(problem(400, "VALIDATION"));
        mvc.perform(multipart("/api/v1/firmware").file(file("x.bin", CONTENT)).param("baseAddress", "4294967296"))
                .andExpect(problem(400, "VALIDATION"));
        mvc.perform(multipart("/api/v1/firmware").file(file("x.bin", CONTENT)).param("version", "v".repeat(101)))
                .andExpect(problem(400, "VALIDATION"));
        verifyNoInteractions(catalog);
    }

    @Test
    void aMalformedFileIsUnprocessableWithItsReasonAndLocation() throws Exception {
        when(catalog.upload(any(), any(), any(), any(), any(), any())).thenThrow(
                new FirmwareRejectedException("HEX_CHECKSUM", "bad.hex: Intel HEX line 2: bad checksum", "line 2"));
        mvc.perform(multipart("/api/v1/firmware").file(file("bad.hex", CONTENT)))
                .andExpect(problem(422, "FIRMWARE_MALFORMED"))
                .andExpect(jsonPath("$.detail").value("bad.hex: Intel HEX line 2: bad checksum"))
                .andExpect(jsonPath("$.reason").value("HEX_CHECKSUM"))
                .andExpect(jsonPath("$.location").value("line 2"));
    }

    @Test
    void storedFirmwareIsListedAndFetchedById() throws Exception {
        when(catalog.list()).thenReturn(List.of(STORED));
        when(catalog.get(5)).thenReturn(STORED);
        mvc.perform(get("/api/v1/firmware"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].format").value("INTEL_HEX"));
        mvc.perform(get("/api/v1/firmware/5"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("Blinky"));
    }

    @Test
    void anUnknownFirmwareIsNotFound() throws Exception {
        when(catalog.get(anyLong())).thenThrow(DomainException.notFound("Firmware", 987654));
        mvc.perform(get("/api/v1/firmware/987654"))
                .andExpect(problem(404, "NOT_FOUND"))
                .andExpect(jsonPath("$.detail").value("Firmware 987654 does not exist"));
        verify(catalog).get(eq(987654L));
    }
}
