package com.flashline.e2e;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The service's REST API (docs/api.md) through plain {@link HttpClient}, as an MES or a shell script
 * would use it: it signs in as {@code admin} with HTTP Basic once, to create an API token with role
 * ENGINEER, and sends that token with every call. Every call checks the status code and quotes the
 * response body when it is unexpected.
 */
final class FlashLineApi {

    /**
     * One job as {@code GET /api/v1/jobs} lists it: the fields the scenarios look at.
     *
     * @param phases the names of its finished phases, in order
     */
    record Job(long id, String port, String state, String phase, String usbSerial, String errorCode,
            long bytesDone, long bytesTotal, List<String> phases) {

        boolean finished() {
            return !state.equals("QUEUED") && !state.equals("RUNNING");
        }
    }

    /** One port as {@code GET /api/v1/ports} lists it. */
    record Port(String path, String state, String reason, Long lastJobId) {
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String token;

    FlashLineApi(URI base, String adminPassword) {
        this.base = base;
        String basic = Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        HttpRequest create = HttpRequest.newBuilder(base.resolve("/api/v1/tokens")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"e2e\",\"roles\":[\"ENGINEER\"]}")).build();
        this.token = JsonPath.read(send(create, 201), "$.token");
    }

    /** {@code POST /firmware} (multipart); returns the firmware id. */
    long uploadFirmware(String fileName, byte[] content, String name, String version) {
        String boundary = "flashline-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        formField(body, boundary, "name", name);
        formField(body, boundary, "version", version);
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.writeBytes(content);
        write(body, "\r\n--" + boundary + "--\r\n");
        HttpRequest request = request("/api/v1/firmware")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return idOf(send(request, 201));
    }

    /** {@code POST /firmware} of a raw binary loaded at {@code baseAddress}; returns the firmware id. */
    long uploadRawFirmware(String fileName, byte[] content, long baseAddress) {
        String boundary = "flashline-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        formField(body, boundary, "baseAddress", Long.toString(baseAddress));
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.writeBytes(content);
        write(body, "\r\n--" + boundary + "--\r\n");
        HttpRequest request = request("/api/v1/firmware")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return idOf(send(request, 201));
    }

    /** {@code POST /recipes} with sector erase, verify, no serial record, leave; returns the recipe id. */
    long createRecipe(String name, long firmwareId) {
        return createRecipe(name, firmwareId, "");
    }

    /** As {@link #createRecipe(String, long)} with more members, e.g. {@code ,"allowUnprotect":true}. */
    long createRecipe(String name, long firmwareId, String moreMembers) {
        String json = "{\"name\":\"" + name + "\",\"firmwareId\":" + firmwareId
                + ",\"eraseMode\":\"SECTORS\",\"leave\":true" + moreMembers + "}";
        return idOf(send(request("/api/v1/recipes").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), 201));
    }

    /** {@code PUT /station}: the default recipe for every port without its own, and auto-start. */
    void configureStation(long defaultRecipeId, boolean autoStart) {
        send(request("/api/v1/station").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"defaultRecipeId\":" + defaultRecipeId + ",\"autoStart\":" + autoStart + "}"))
                .build(), 200);
    }

    /** {@code PUT /ports/{path}}: a recipe for this port only. */
    void assignRecipe(String portPath, long recipeId) {
        send(request("/api/v1/ports/" + portPath).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"label\":\"e2e " + portPath + "\",\"recipeId\":" + recipeId + "}"))
                .build(), 200);
    }

    /** {@code PUT /ports/{path}} without a recipe: the port uses the station's default again. */
    void clearRecipe(String portPath) {
        send(request("/api/v1/ports/" + portPath).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"label\":\"e2e " + portPath + "\",\"recipeId\":null}"))
                .build(), 200);
    }

    /** {@code POST /simulator/ports/{path}/board}: a fresh blank board on a simulated port. */
    void plugBoard(String portPath) {
        send(request("/api/v1/simulator/ports/" + portPath + "/board").POST(HttpRequest.BodyPublishers.noBody())
                .build(), 201);
    }

    /** {@code GET /station}: the default recipe's id. */
    long defaultRecipeId() {
        Map<String, Object> station = JsonPath.parse(send(request("/api/v1/station").GET().build(), 200)).read("$");
        return ((Number) station.get("defaultRecipeId")).longValue();
    }

    /** {@code POST /work-orders} (issue 15's contract); returns its id. */
    long createWorkOrder(String number, String product, String lot, long recipeId, int quantity) {
        String json = "{\"number\":\"" + number + "\",\"product\":\"" + product + "\",\"lot\":\"" + lot
                + "\",\"recipeId\":" + recipeId + ",\"quantity\":" + quantity + "}";
        return idOf(send(request("/api/v1/work-orders").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), 201));
    }

    /** {@code POST /work-orders/{id}/activate}: the station's active work order. */
    void activateWorkOrder(long id) {
        send(request("/api/v1/work-orders/" + id + "/activate").POST(HttpRequest.BodyPublishers.noBody()).build(), 200);
    }

    /** {@code GET /jobs?port=}: every job on the port, newest first. */
    List<Job> jobsOn(String portPath) {
        DocumentContext page = JsonPath.parse(send(request("/api/v1/jobs?size=500&port="
                + URLEncoder.encode(portPath, StandardCharsets.UTF_8)).GET().build(), 200));
        List<Map<String, Object>> items = page.read("$.items");
        return items.stream().map(FlashLineApi::job).toList();
    }

    /** {@code GET /jobs/{id}}. */
    Job job(long id) {
        return job(JsonPath.parse(send(request("/api/v1/jobs/" + id).GET().build(), 200)).read("$"));
    }

    /** {@code GET /ports}. */
    List<Port> ports() {
        List<Map<String, Object>> items = JsonPath.parse(send(request("/api/v1/ports").GET().build(), 200)).read("$");
        return items.stream().map(p -> new Port((String) p.get("path"), (String) p.get("state"),
                (String) p.get("reason"), p.get("lastJobId") == null ? null : ((Number) p.get("lastJobId")).longValue()))
                .toList();
    }

    Port port(String path) {
        return ports().stream().filter(p -> p.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("GET /api/v1/ports does not list " + path + ": " + ports()));
    }

    /** {@code GET /audit}: the record types in commit order. */
    List<String> auditTypes() {
        return JsonPath.parse(send(request("/api/v1/audit?after=0&limit=1000").GET().build(), 200))
                .read("$.records[*].type");
    }

    @SuppressWarnings("unchecked")
    private static Job job(Map<String, Object> j) {
        Map<String, Object> error = (Map<String, Object>) j.get("error");
        return new Job(((Number) j.get("id")).longValue(), (String) j.get("port"), (String) j.get("state"),
                (String) j.get("phase"), (String) j.get("usbSerial"), error == null ? null : (String) error.get("code"),
                number(j.get("bytesDone")), number(j.get("bytesTotal")),
                ((List<Map<String, Object>>) j.get("phases")).stream().map(p -> (String) p.get("name")).toList());
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token);
    }

    private String send(HttpRequest request, int expectedStatus) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
        if (response.statusCode() != expectedStatus) {
            throw new AssertionError(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + " (expected " + expectedStatus + "): " + response.body());
        }
        return response.body();
    }

    private static long idOf(String json) {
        return ((Number) JsonPath.read(json, "$.id")).longValue();
    }

    private static void formField(ByteArrayOutputStream body, String boundary, String name, String value) {
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
    }

    private static void write(ByteArrayOutputStream body, String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
