package com.flashline.reliability;

import com.jayway.jsonpath.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The REST calls of {@link ServiceKilledInEveryPhaseIT}, as {@code admin} with HTTP Basic (the
 * password every child gets at start-up). Every call checks its status and quotes the body when
 * it is unexpected. Jobs and audit records are JSON maps (JsonPath).
 */
final class StationApi {

    private final URI base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    StationApi(URI base) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + ServiceChild.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    long uploadFirmware(String fileName, byte[] content, long baseAddress) {
        String boundary = "killtest-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, boundary, "baseAddress", Long.toString(baseAddress));
        field(body, boundary, "version", "1.0.0");
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.writeBytes(content);
        write(body, "\r\n--" + boundary + "--\r\n");
        return id(send(request("/api/v1/firmware").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), 201));
    }

    long createRecipe(String json) {
        return id(post("/api/v1/recipes", json, 201));
    }

    void configureStation(long defaultRecipeId) {
        send(request("/api/v1/station").header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers
                .ofString("{\"defaultRecipeId\":" + defaultRecipeId + ",\"autoStart\":true}")).build(), 200);
    }

    Map<String, Object> job(long id) {
        return JsonPath.read(get("/api/v1/jobs/" + id), "$");
    }

    /** Every job on the database, newest first. */
    List<Map<String, Object>> jobs() {
        return JsonPath.read(get("/api/v1/jobs?size=500"), "$.items");
    }

    List<Map<String, Object>> jobsOn(String port) {
        return JsonPath.read(get("/api/v1/jobs?size=500&port=" + port), "$.items");
    }

    Map<String, Object> verifyAudit() {
        return JsonPath.read(get("/api/v1/audit/verify"), "$");
    }

    /** The whole audit log, oldest first. */
    List<Map<String, Object>> audit() {
        List<Map<String, Object>> all = new ArrayList<>();
        long after = 0;
        while (true) {
            String page = get("/api/v1/audit?after=" + after + "&limit=500");
            List<Map<String, Object>> records = JsonPath.read(page, "$.records");
            if (records.isEmpty()) {
                return all;
            }
            all.addAll(records);
            after = ((Number) JsonPath.read(page, "$.next")).longValue();
        }
    }

    private String get(String path) {
        return send(request(path).GET().build(), 200);
    }

    private String post(String path, String json, int expected) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), expected);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization);
    }

    private String send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new AssertionError(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + " (expected " + expected + "): " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long id(String body) {
        return ((Number) JsonPath.read(body, "$.id")).longValue();
    }

    private static void field(ByteArrayOutputStream body, String boundary, String name, String value) {
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n");
    }

    private static void write(ByteArrayOutputStream body, String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
