package com.flashline.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.anonymous;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import com.flashline.support.SimulatedStation;
import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;

/**
 * Issue 16: a rejected request leaves every table as it was. Every table of the schema (audit,
 * firmware content, jobs, recipes, users, tokens, settings, Flyway's history) and every sequence
 * is read before and after a set of refused requests — malformed uploads, contradictory recipes,
 * jobs that cannot run, bad settings, forbidden and unauthenticated callers — and must be equal.
 * Not compared: {@code database_probe}, the health probe's heartbeat. Not in the set: a failed sign-in (a wrong password), which is refused but recorded on purpose
 * ({@code SIGN_IN_FAILED} in the audit log and the account's lockout counter). On H2 and PostgreSQL.
 */
abstract class RejectedRequestsContract {

    static final byte[] VALID_IMAGE = SimulatedStation.applicationImage(4096, 5);

    @Autowired
    MockMvc mvc;
    @Autowired
    DataSource dataSource;

    /** Every sequence's current value in the current schema, by name. */
    abstract String sequencesQuery();

    @Test
    void refusedRequestsChangeNoRowAndNoSequence() throws Exception {
        // Something for the refused requests to contradict: a stored image and a recipe of it.
        MvcResult uploaded = mvc.perform(multipart("/api/v1/firmware")
                .file(new MockMultipartFile("file", "ok.bin", "application/octet-stream", VALID_IMAGE))
                .param("baseAddress", String.valueOf(SimulatedStation.FLASH)).with(csrf())).andReturn();
        assertThat(uploaded.getResponse().getStatus()).isEqualTo(201);
        long firmwareId = ((Number) JsonPath.read(uploaded.getResponse().getContentAsString(), "$.id")).longValue();
        MvcResult recipe = mvc.perform(post("/api/v1/recipes").with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + "rejected-" + System.nanoTime() + "\",\"firmwareId\":" + firmwareId + "}"))
                .andReturn();
        assertThat(recipe.getResponse().getStatus()).as(recipe.getResponse().getContentAsString()).isEqualTo(201);

        Map<String, List<String>> before = snapshot();
        List<String> refused = new ArrayList<>();
        for (Rejected request : rejectedRequests(firmwareId)) {
            MvcResult result = mvc.perform(request.request()).andReturn();
            int status = result.getResponse().getStatus();
            assertThat(status).as("%s answered %d: %s", request.name(), status,
                    result.getResponse().getContentAsString()).isBetween(400, 499);
            refused.add(request.name() + " → " + status);
        }
        Map<String, List<String>> after = snapshot();

        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String table : before.keySet()) {
            assertThat(after.get(table)).as("rows of %s after %s", table, refused).isEqualTo(before.get(table));
        }
        System.out.printf("[rejected requests] %d refused requests, %d tables and sequences (%d rows) unchanged on %s%n",
                refused.size(), before.size(), before.values().stream().mapToInt(List::size).sum(),
                getClass().getSimpleName());
    }

    record Rejected(String name, RequestBuilder request) {
    }

    private static List<Rejected> rejectedRequests(long firmwareId) {
        MediaType json = MediaType.APPLICATION_JSON;
        return List.of(
                new Rejected("upload of a broken Intel HEX file", multipart("/api/v1/firmware")
                        .file(new MockMultipartFile("file", "bad.hex", "text/plain",
                                ":10000000ZZ\n:00000001FF\n".getBytes(StandardCharsets.US_ASCII))).with(csrf())),
                new Rejected("upload of an empty file", multipart("/api/v1/firmware")
                        .file(new MockMultipartFile("file", "empty.bin", "application/octet-stream", new byte[0]))
                        .with(csrf())),
                new Rejected("upload outside any flash", multipart("/api/v1/firmware")
                        .file(new MockMultipartFile("file", "far.bin", "application/octet-stream", VALID_IMAGE))
                        .param("baseAddress", "4294967295").with(csrf())),
                new Rejected("upload by a viewer", multipart("/api/v1/firmware")
                        .file(new MockMultipartFile("file", "v.bin", "application/octet-stream", new byte[] {1, 2}))
                        .with(user("viewer").roles("VIEWER")).with(csrf())),
                new Rejected("upload without credentials", multipart("/api/v1/firmware")
                        .file(new MockMultipartFile("file", "a.bin", "application/octet-stream", new byte[] {1, 2}))
                        .with(anonymous()).with(csrf())),
                new Rejected("upload without a CSRF token", multipart("/api/v1/firmware")
                        .file(new MockMultipartFile("file", "c.bin", "application/octet-stream", new byte[] {3, 4}))),
                new Rejected("recipe with a serial record inside the image", post("/api/v1/recipes").with(csrf())
                        .contentType(json).content("{\"name\":\"overlap\",\"firmwareId\":" + firmwareId
                                + ",\"serial\":{\"address\":" + SimulatedStation.FLASH + ",\"format\":\"S{seq}\"}}")),
                new Rejected("recipe of a firmware that does not exist", post("/api/v1/recipes").with(csrf())
                        .contentType(json).content("{\"name\":\"ghost\",\"firmwareId\":999999}")),
                new Rejected("recipe without a name", post("/api/v1/recipes").with(csrf())
                        .contentType(json).content("{\"name\":\"\",\"firmwareId\":" + firmwareId + "}")),
                new Rejected("recipe as malformed JSON", post("/api/v1/recipes").with(csrf())
                        .contentType(json).content("{\"name\":")),
                new Rejected("recipe by an operator", post("/api/v1/recipes").with(csrf())
                        .with(user("operator").roles("OPERATOR"))
                        .contentType(json).content("{\"name\":\"op\",\"firmwareId\":" + firmwareId + "}")),
                new Rejected("job on a port that does not exist", post("/api/v1/jobs").with(csrf())
                        .contentType(json).content("{\"port\":\"9-9\"}")),
                new Rejected("job with a bad port path", post("/api/v1/jobs").with(csrf())
                        .contentType(json).content("{\"port\":\"../x\"}")),
                new Rejected("job with a recipe that does not exist", post("/api/v1/jobs").with(csrf())
                        .contentType(json).content("{\"port\":\"sim-1\",\"recipeId\":999999}")),
                new Rejected("job without credentials", post("/api/v1/jobs").with(anonymous()).with(csrf())
                        .contentType(json).content("{\"port\":\"sim-1\"}")),
                new Rejected("cancel of a job that does not exist", post("/api/v1/jobs/999999/cancel").with(csrf())),
                new Rejected("station default recipe that does not exist", put("/api/v1/station").with(csrf())
                        .contentType(json).content("{\"defaultRecipeId\":999999,\"autoStart\":true}")),
                new Rejected("station settings by a viewer", put("/api/v1/station").with(csrf())
                        .with(user("viewer").roles("VIEWER"))
                        .contentType(json).content("{\"autoStart\":true}")),
                new Rejected("user with a short password", post("/api/v1/users").with(csrf())
                        .contentType(json).content("{\"username\":\"shorty\",\"password\":\"short\",\"roles\":[\"VIEWER\"]}")),
                new Rejected("user created by an engineer", post("/api/v1/users").with(csrf())
                        .with(user("engineer").roles("ENGINEER")).contentType(json)
                        .content("{\"username\":\"sneaky\",\"password\":\"long-enough-password\",\"roles\":[\"ADMIN\"]}")),
                new Rejected("token without roles", post("/api/v1/tokens").with(csrf())
                        .contentType(json).content("{\"name\":\"t\",\"roles\":[]}")),
                new Rejected("revoke of a token that does not exist", delete("/api/v1/tokens/999999").with(csrf())));
    }

    /** Table name → its rows (each row's columns as text, BLOBs as their SHA-256), sorted; plus "sequences". */
    private Map<String, List<String>> snapshot() throws Exception {
        Map<String, List<String>> tables = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            List<String> names = new ArrayList<>();
            try (ResultSet rs = meta.getTables(null, connection.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(names).as("tables found").isNotEmpty();
            for (String table : names) {
                if (table.equalsIgnoreCase("database_probe")) {
                    continue; // the health probe's heartbeat, rewritten by design
                }
                tables.put(table, rows(connection, "SELECT * FROM \"" + table + "\""));
            }
            tables.put("sequences", rows(connection, sequencesQuery()));
            assertThat(tables.get("sequences")).as("identity sequences found").hasSizeGreaterThanOrEqualTo(5);
        }
        assertThat(tables.keySet().stream().map(String::toLowerCase))
                .contains("audit_record", "audit_head", "firmware", "recipe", "job", "sequences");
        return tables;
    }

    private static List<String> rows(Connection connection, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData columns = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= columns.getColumnCount(); c++) {
                    Object value = rs.getObject(c);
                    if (value instanceof byte[] bytes) {
                        value = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                    } else if (value instanceof java.sql.Blob blob) {
                        value = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(blob.getBytes(1, (int) blob.length())));
                    }
                    row.append(columns.getColumnLabel(c)).append('=').append(value).append(';');
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }
}
