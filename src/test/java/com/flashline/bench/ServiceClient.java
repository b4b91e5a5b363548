package com.flashline.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few REST calls the service benchmarks make, over loopback, with JSON read by Jackson. Signs in
 * as the service's {@code admin} with HTTP Basic once, to create an API token (role ENGINEER), and
 * sends that token with every call: a token costs one indexed read per request, a password a
 * bcrypt check.
 */
final class ServiceClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final String authorization;

    ServiceClient(ServiceProcess service) throws IOException, InterruptedException {
        this.base = service.baseUri();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        String basic = Base64.getEncoder().encodeToString(("admin:" + service.adminPassword())
                .getBytes(StandardCharsets.UTF_8));
        JsonNode token = send(HttpRequest.newBuilder(uri("/api/v1/tokens")).timeout(TIMEOUT)
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"roles\":[\"ENGINEER\"]}")).build(), 201);
        this.authorization = "Bearer " + token.get("token").asString();
    }

    /** The {@code Authorization} header value every call sends. */
    String authorization() {
        return authorization;
    }

    /** A request to {@code path}, signed in. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).header("Authorization", authorization);
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    HttpClient http() {
        return http;
    }

    JsonMapper json() {
        return json;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build(), 200);
    }

    JsonNode postJson(String path, String body, int expectedStatus) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), expectedStatus);
    }

    JsonNode post(String path, int expectedStatus) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(), expectedStatus);
    }

    JsonNode putJson(String path, String body) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), 200);
    }

    /** {@code POST /api/v1/firmware} with one multipart file field; returns the firmware record. */
    JsonNode uploadFirmware(String fileName, byte[] content, String name, String version)
            throws IOException, InterruptedException {
        String boundary = "bench-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, boundary, "name", name);
        field(body, boundary, "version", version);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = request("/api/v1/firmware")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return send(request, 201);
    }

    private static void field(ByteArrayOutputStream body, String boundary, String name, String value) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    JsonNode parse(String body) {
        return json.readTree(body);
    }

    private JsonNode send(HttpRequest request, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + " (expected " + expectedStatus + "): " + response.body());
        }
        return response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
    }
}
