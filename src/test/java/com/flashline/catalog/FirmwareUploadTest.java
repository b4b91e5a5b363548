package com.flashline.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import com.flashline.support.FlashLineSpringTest;
import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

@FlashLineSpringTest
class FirmwareUploadTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    FirmwareCatalog catalog;

    @Test
    void anIntelHexFileIsParsedStoredAndListed() throws Exception {
        byte[] hex = intelHex(0x0800_0000, uniqueBytes(32));
        String body = mvc.perform(multipart("/api/v1/firmware").with(csrf())
                        .file(new MockMultipartFile("file", "app.hex", "application/octet-stream", hex))
                        .param("name", "Blinky").param("version", "2.1.0"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", containsString("/api/v1/firmware/")))
                .andExpect(jsonPath("$.name").value("Blinky"))
                .andExpect(jsonPath("$.version").value("2.1.0"))
                .andExpect(jsonPath("$.format").value("INTEL_HEX"))
                .andExpect(jsonPath("$.sizeBytes").value(hex.length))
                .andExpect(jsonPath("$.imageBytes").value(32))
                .andExpect(jsonPath("$.sha256").value(org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}")))
                .andExpect(jsonPath("$.segments[0].address").value(0x0800_0000))
                .andExpect(jsonPath("$.segments[0].length").value(32))
                .andReturn().getResponse().getContentAsString();
        long id = ((Number) JsonPath.read(body, "$.id")).longValue();

        assertThat(catalog.content(id)).isEqualTo(hex);
        mvc.perform(get("/api/v1/firmware/{id}", id)).andExpect(status().isOk()).andExpect(jsonPath("$.name").value("Blinky"));
        mvc.perform(get("/api/v1/firmware")).andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.id == %d)].format".formatted(id)).value("INTEL_HEX"));
        Integer audits = jdbc.queryForObject(
                "SELECT COUNT(*) FROM audit_record WHERE type = 'FIRMWARE_UPLOADED' AND firmware_id = ?", Integer.class, id);
        assertThat(audits).isEqualTo(1);
    }

    @Test
    void theSameContentUploadedTwiceKeepsItsId() throws Exception {
        byte[] bin = uniqueBytes(256);
        MockMultipartFile file = new MockMultipartFile("file", "app.bin", "application/octet-stream", bin);
        String first = mvc.perform(multipart("/api/v1/firmware").with(csrf()).file(file).param("baseAddress", "134217728"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.format").value("BIN"))
                .andExpect(jsonPath("$.baseAddress").value(0x0800_0000))
                .andReturn().getResponse().getContentAsString();
        String second = mvc.perform(multipart("/api/v1/firmware").with(csrf()).file(file).param("baseAddress", "134217728")
                        .param("name", "another name"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.name").value("app.bin"))
                .andReturn().getResponse().getContentAsString();
        Object firstId = JsonPath.read(first, "$.id");
        assertThat((Object) JsonPath.read(second, "$.id")).isEqualTo(firstId);
        Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM firmware WHERE sha256 = ?", Integer.class,
                (String) JsonPath.read(first, "$.sha256"));
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void theSameRawBinaryAtAnotherBaseAddressIsAnotherFirmware() throws Exception {
        MockMultipartFile file = new MockMultipartFile("file", "app.bin", "application/octet-stream", uniqueBytes(128));
        String first = mvc.perform(multipart("/api/v1/firmware").with(csrf()).file(file).param("baseAddress", "134217728"))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String second = mvc.perform(multipart("/api/v1/firmware").with(csrf()).file(file).param("baseAddress", "134234112"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.baseAddress").value(0x0800_4000))
                .andExpect(jsonPath("$.segments[0].address").value(0x0800_4000))
                .andReturn().getResponse().getContentAsString();
        String again = mvc.perform(multipart("/api/v1/firmware").with(csrf()).file(file).param("baseAddress", "134234112"))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();

        Object firstId = JsonPath.read(first, "$.id");
        Object secondId = JsonPath.read(second, "$.id");
        assertThat(secondId).isNotEqualTo(firstId);
        assertThat((Object) JsonPath.read(again, "$.id")).isEqualTo(secondId);
        assertThat((Object) JsonPath.read(second, "$.sha256")).isEqualTo(JsonPath.read(first, "$.sha256"));
        assertThat((Object) JsonPath.read(second, "$.contentSha256")).isNotEqualTo(JsonPath.read(first, "$.contentSha256"));
    }

    @Test
    void aSelfLocatingFileIsTheSameFirmwareWhateverBaseAddressIsGiven() throws Exception {
        MockMultipartFile file = new MockMultipartFile("file", "app.hex", null, intelHex(0x0800_0000, uniqueBytes(32)));
        String first = mvc.perform(multipart("/api/v1/firmware").with(csrf()).file(file))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        mvc.perform(multipart("/api/v1/firmware").with(csrf()).file(file).param("baseAddress", "134234112"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.id").value((Object) JsonPath.read(first, "$.id")));
    }

    @Test
    void aCorruptHexFileIsRejectedWithItsLineAndNothingIsStored() throws Exception {
        String good = new String(intelHex(0x0800_0000, uniqueBytes(16)), StandardCharsets.US_ASCII);
        String[] lines = good.split("\n");
        // Flip the checksum of the data record on line 2.
        String data = lines[1];
        lines[1] = data.substring(0, data.length() - 2) + (data.endsWith("00") ? "01" : "00");
        byte[] corrupt = String.join("\n", lines).getBytes(StandardCharsets.US_ASCII);
        Integer before = jdbc.queryForObject("SELECT COUNT(*) FROM firmware", Integer.class);

        mvc.perform(multipart("/api/v1/firmware").with(csrf()).file(new MockMultipartFile("file", "bad.hex", null, corrupt)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.code").value("FIRMWARE_MALFORMED"))
                .andExpect(jsonPath("$.type").value("urn:flashline:problem:firmware-malformed"))
                .andExpect(jsonPath("$.reason").value("HEX_CHECKSUM"))
                .andExpect(jsonPath("$.location").value("line 2"))
                .andExpect(jsonPath("$.detail", containsString("line 2")));

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM firmware", Integer.class)).isEqualTo(before);
    }

    @Test
    void aRawBinaryNeedsItsBaseAddress() throws Exception {
        mvc.perform(multipart("/api/v1/firmware").with(csrf())
                        .file(new MockMultipartFile("file", "app.bin", null, uniqueBytes(64))))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.reason").value("BIN_BASE_ADDRESS_MISSING"));
    }

    static byte[] uniqueBytes(int length) {
        byte[] data = new byte[length];
        byte[] tag = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < length; i++) {
            data[i] = tag[i % tag.length];
        }
        return data;
    }

    /** Intel HEX: an extended linear address record, 16-byte data records, end of file. */
    static byte[] intelHex(long address, byte[] data) {
        StringBuilder sb = new StringBuilder();
        sb.append(record(0x04, 0, new byte[] {(byte) (address >>> 24), (byte) (address >>> 16)}));
        for (int offset = 0; offset < data.length; offset += 16) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, offset, Math.min(data.length, offset + 16));
            sb.append(record(0x00, (int) ((address + offset) & 0xFFFF), chunk));
        }
        sb.append(record(0x01, 0, new byte[0]));
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String record(int type, int offset, byte[] data) {
        int sum = data.length + (offset >>> 8) + (offset & 0xFF) + type;
        StringBuilder sb = new StringBuilder(String.format(":%02X%04X%02X", data.length, offset, type));
        for (byte b : data) {
            sb.append(String.format("%02X", b & 0xFF));
            sum += b & 0xFF;
        }
        return sb.append(String.format("%02X", (-sum) & 0xFF)).append('\n').toString();
    }
}
