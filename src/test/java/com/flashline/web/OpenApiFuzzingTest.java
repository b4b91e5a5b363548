package com.flashline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.audit.Actor;
import com.flashline.security.ApiTokens;
import com.flashline.security.CreateTokenRequest;
import com.flashline.security.CreatedToken;
import com.flashline.security.Role;
import com.flashline.security.UserAccounts;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.RandomCases;
import com.flashline.support.SimulatedStationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.ObjectMapper;

/**
 * Every REST operation of the service's own OpenAPI document ({@code GET /v3/api-docs}) fuzzed
 * over real HTTP against the full application with the simulated station: valid requests and
 * requests with missing, wrong-typed, huge or strange path and query parameters, JSON bodies
 * with wrong types, nulls, huge strings and numbers, deep nesting, malformed or empty bodies,
 * wrong Content-Type and Accept, wrong methods, each as an ADMIN by token and by password, a
 * VIEWER, a caller with a bad token and an anonymous one.
 *
 * <p>The promise: never a 5xx, and every 4xx is an RFC 9457 problem document
 * ({@code application/problem+json} with {@code type} and {@code code}). Seeded: request
 * {@code i} of an operation is built from {@code RandomCases.random(seed + hash(operation) + i)},
 * so a failure names its seed and is rerun with {@code -Dflashline.test.seed=S}.
 * {@code -Dflashline.apifuzz.requests=N} sets the requests per operation (default 40).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        FlashLineSpringTest.ONLY_CLASSPATH_CONFIG,
        "flashline.simulator.enabled=true",
        "flashline.simulator.ports=4",
        "flashline.simulator.chip=STM32F407",
        "flashline.simulator.time-scale=1",
        "flashline.simulator.plug-at-start=false",
        "flashline.simulator.replace-finished-after=0s",
        "flashline.workers=4",
        "flashline.dfu.reenumeration-timeout=1s"})
@ActiveProfiles("test")
@Import(SimulatedStationTest.Clock.class)
class OpenApiFuzzingTest {

    static final long SEED = Long.getLong(RandomCases.SEED_PROPERTY, 0L);
    static final int REQUESTS_PER_OPERATION = Integer.getInteger("flashline.apifuzz.requests", 40);
    static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch");
    static final String PASSWORD = "fuzz-password-0123456789";

    @LocalServerPort
    int port;

    @Autowired
    UserAccounts users;

    @Autowired
    ApiTokens tokens;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    Map<String, Object> document;
    final Map<String, Set<Object>> harvested = new TreeMap<>();
    final List<String> findings = new ArrayList<>();

    /** Who sends a request. */
    enum Caller { ADMIN_TOKEN, ADMIN_PASSWORD, VIEWER_TOKEN, BAD_TOKEN, ANONYMOUS }

    String adminToken;
    Set<Long> ownTokenIds;
    String viewerToken;

    @Test
    void everyOperationAnswersWithoutServerErrorAndEveryErrorIsAProblemDocument() throws Exception {
        users.ensure("fuzz-admin", PASSWORD, Set.of(Role.ADMIN), Actor.SYSTEM);
        CreatedToken admin = tokens.create(new CreateTokenRequest("fuzz-admin-token", Set.of(Role.ADMIN)), Actor.SYSTEM);
        CreatedToken viewer = tokens.create(new CreateTokenRequest("fuzz-viewer-token", Set.of(Role.VIEWER)),
                Actor.SYSTEM);
        adminToken = admin.token();
        viewerToken = viewer.token();
        ownTokenIds = Set.of(admin.id(), viewer.id());

        HttpResponse<byte[]> docs = send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET()
                .header("Authorization", "Bearer " + adminToken));
        assertThat(docs.statusCode()).isEqualTo(200);
        document = readMap(docs.body());
        List<Operation> operations = operations();
        assertThat(operations).hasSizeGreaterThan(20);
        harvest(operations);

        Map<String, Integer> counts = new LinkedHashMap<>();
        int total = 0;
        for (Operation operation : operations) {
            for (int i = 0; i < REQUESTS_PER_OPERATION; i++) {
                long seed = SEED + operation.key().hashCode() * 1_000_003L + i;
                Fuzzed request = build(operation, RandomCases.random(seed));
                check(operation, request, seed);
                total++;
            }
            counts.put(operation.key(), REQUESTS_PER_OPERATION);
        }
        counts.forEach((op, n) -> System.out.printf("OpenApiFuzzingTest: %-55s %d requests%n", op, n));
        System.out.printf("OpenApiFuzzingTest: %d operations, %d requests in all, seed %d, %d findings%n",
                operations.size(), total, SEED, findings.size());
        assertThat(findings).as("5xx answers or errors that are not problem documents").isEmpty();
    }

    // ---- the OpenAPI document ------------------------------------------------------------------

    record Operation(String method, String path, List<Map<String, Object>> parameters, Map<String, Object> body,
            boolean bodyRequired) {
        String key() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }

        List<Map<String, Object>> in(String where) {
            return parameters.stream().filter(p -> where.equals(p.get("in"))).toList();
        }
    }

    @SuppressWarnings("unchecked")
    List<Operation> operations() {
        List<Operation> result = new ArrayList<>();
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        for (var path : paths.entrySet()) {
            Map<String, Object> item = (Map<String, Object>) path.getValue();
            for (String method : METHODS) {
                Map<String, Object> op = (Map<String, Object>) item.get(method);
                if (op == null) {
                    continue;
                }
                List<Map<String, Object>> parameters = new ArrayList<>();
                for (Object p : (List<Object>) op.getOrDefault("parameters", List.of())) {
                    parameters.add(resolve((Map<String, Object>) p));
                }
                Map<String, Object> body = op.get("requestBody") == null ? null
                        : resolve((Map<String, Object>) op.get("requestBody"));
                boolean required = body != null && Boolean.TRUE.equals(body.get("required"));
                result.add(new Operation(method, path.getKey(), parameters, body, required));
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> resolve(Map<String, Object> node) {
        Object ref = node == null ? null : node.get("$ref");
        if (!(ref instanceof String r) || !r.startsWith("#/")) {
            return node;
        }
        Object at = document;
        for (String part : r.substring(2).split("/")) {
            at = ((Map<String, Object>) at).get(part);
        }
        return resolve((Map<String, Object>) at);
    }

    /** Real values for path parameters, from the answers of the parameterless GETs (ids, port paths, names). */
    @SuppressWarnings("unchecked")
    void harvest(List<Operation> operations) throws Exception {
        // A board on a port gives the job and device endpoints something real to find.
        send(HttpRequest.newBuilder(uri("/api/v1/simulator/ports/1/board")).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + adminToken));
        for (Operation operation : operations) {
            if (!operation.method().equals("get") || operation.path().contains("{") || operation.path().contains("events")) {
                continue;
            }
            HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri(operation.path())).GET()
                    .header("Authorization", "Bearer " + adminToken).header("Accept", "application/json"));
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (response.statusCode() == 200 && type.contains("json")) {
                collect(json.readValue(response.body(), Object.class));
            }
        }
        // Never hand a fuzzed DELETE/PUT the test's own credentials: the rest of the run needs them.
        harvested.getOrDefault("username", new LinkedHashSet<>()).removeIf(v -> String.valueOf(v).startsWith("fuzz-"));
        harvested.getOrDefault("id", new LinkedHashSet<>())
                .removeIf(v -> v instanceof Number n && ownTokenIds.contains(n.longValue()));
    }

    @SuppressWarnings("unchecked")
    void collect(Object node) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v instanceof String || v instanceof Number) {
                    Set<Object> values = harvested.computeIfAbsent(String.valueOf(k), x -> new LinkedHashSet<>());
                    if (values.size() < 20) {
                        values.add(v);
                    }
                } else {
                    collect(v);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(this::collect);
        }
    }

    // ---- building requests ---------------------------------------------------------------------

    /** A request as sent, with a description for the failure message. */
    record Fuzzed(String method, String path, Map<String, String> headers, byte[] body, Caller caller, String what) {
    }

    static final List<String> HOSTILE_STRINGS = List.of("", " ", "-1", "0", "abc", "1.5", "99999999999999999999999999",
            "-9223372036854775809", "NaN", "null", "true", "%00", "\u0000", "../../etc/passwd", "a/b", "<script>",
            "'; DROP TABLE jobs; --", "\uD83D\uDE00", "\u202E", "x".repeat(5000), "1e400", "0x10", "2026-13-45T99:99:99Z",
            "[]", "{}", "%", "%zz", "\\", ";", "*");

    Fuzzed build(Operation operation, RandomGenerator random) {
        Caller caller = pickCaller(random);
        int kind = random.nextInt(10);
        String method = operation.method();
        String what;
        Map<String, String> headers = new LinkedHashMap<>();
        // Path parameters
        String path = operation.path();
        boolean hostilePath = kind == 1 || random.nextInt(8) == 0;
        for (Map<String, Object> p : operation.in("path")) {
            String name = (String) p.get("name");
            String value = hostilePath ? pick(random, HOSTILE_STRINGS) : validPathValue(name, schemaOf(p), random);
            path = path.replace("{" + name + "}", encode(value));
        }
        // Query parameters
        StringBuilder query = new StringBuilder();
        for (Map<String, Object> p : operation.in("query")) {
            boolean required = Boolean.TRUE.equals(p.get("required"));
            if (kind == 2 && random.nextBoolean()) {
                continue; // missing, required or not
            }
            if (!required && random.nextInt(3) == 0) {
                continue;
            }
            String value = kind == 2 ? pick(random, HOSTILE_STRINGS) : String.valueOf(valid(schemaOf(p), random, 0));
            appendQuery(query, (String) p.get("name"), value);
            if (kind == 2 && random.nextInt(4) == 0) {
                appendQuery(query, (String) p.get("name"), pick(random, HOSTILE_STRINGS)); // repeated
            }
        }
        if (kind == 2 && random.nextInt(3) == 0) {
            appendQuery(query, pick(random, List.of("page", "size", "sort", "limit", "after", "x")),
                    pick(random, HOSTILE_STRINGS));
        }
        what = "kind " + kind;
        // Body
        byte[] body = null;
        Map<String, Object> content = operation.body() == null ? Map.of() : contentOf(operation.body());
        String mediaType = content.isEmpty() ? null : content.keySet().iterator().next();
        if (mediaType != null) {
            Map<String, Object> schema = resolve(schemaOfMedia(content, mediaType));
            if (mediaType.startsWith("multipart/")) {
                String boundary = "fuzz" + Long.toHexString(random.nextLong());
                body = multipart(schema, random, boundary, kind);
                headers.put("Content-Type", kind == 6 && random.nextBoolean() ? "multipart/form-data"
                        : "multipart/form-data; boundary=" + boundary);
            } else {
                body = jsonBody(schema, random, kind);
                headers.put("Content-Type", "application/json");
            }
        } else if (kind == 3 || kind == 4) {
            body = pick(random, List.of("{}", "{\"a\":1}", "garbage", "")).getBytes(StandardCharsets.UTF_8);
            headers.put("Content-Type", "application/json");
        }
        if (kind == 6) {
            headers.put("Content-Type", pick(random, List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "garbage", "application/json; charset=x-bogus", "multipart/form-data", "application/json;;;",
                    "image/png", "*/*", "text/event-stream")));
            if (body == null) {
                body = "x=1".getBytes(StandardCharsets.UTF_8);
            }
        }
        if (kind == 7) {
            headers.put("Accept", pick(random, List.of("application/xml", "text/html", "image/png", "garbage",
                    "text/csv", "application/json;q=x", "*/*;q=0", "text/event-stream", "application/problem+json")));
        } else if (operation.path().contains("events")) {
            headers.put("Accept", "application/json"); // never hold an event stream open
        }
        if (kind == 8) {
            method = pick(random, List.of("put", "patch", "delete", "post", "get"));
        }
        String fullPath = path + (query.isEmpty() ? "" : "?" + query);
        return new Fuzzed(method, fullPath, headers, body, caller, what);
    }

    Caller pickCaller(RandomGenerator random) {
        int r = random.nextInt(20);
        if (r < 9) {
            return Caller.ADMIN_TOKEN;
        }
        if (r < 11) {
            return Caller.ADMIN_PASSWORD; // a password check costs CPU, so fewer of these
        }
        if (r < 15) {
            return Caller.VIEWER_TOKEN;
        }
        return r < 17 ? Caller.BAD_TOKEN : Caller.ANONYMOUS;
    }

    String validPathValue(String name, Map<String, Object> schema, RandomGenerator random) {
        Set<Object> known = harvested.get(name);
        if (known != null && !known.isEmpty() && random.nextInt(4) != 0) {
            return String.valueOf(pick(random, new ArrayList<>(known)));
        }
        return String.valueOf(valid(schema, random, 0));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> schemaOf(Map<String, Object> parameter) {
        return resolve((Map<String, Object>) parameter.getOrDefault("schema", Map.of()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> contentOf(Map<String, Object> body) {
        return (Map<String, Object>) body.getOrDefault("content", Map.of());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> schemaOfMedia(Map<String, Object> content, String mediaType) {
        return (Map<String, Object>) ((Map<String, Object>) content.get(mediaType)).getOrDefault("schema", Map.of());
    }

    /** A value that fits the schema (as far as type, enum and format go). */
    @SuppressWarnings("unchecked")
    Object valid(Map<String, Object> schemaNode, RandomGenerator random, int depth) {
        Map<String, Object> schema = resolve(schemaNode);
        if (schema == null) {
            return "x";
        }
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
            return values.get(random.nextInt(values.size()));
        }
        if (schema.get("oneOf") instanceof List<?> one && !one.isEmpty()) {
            return valid((Map<String, Object>) one.get(0), random, depth + 1);
        }
        Object type = schema.get("type");
        if (type instanceof List<?> types) {
            type = types.stream().filter(t -> !"null".equals(t)).map(Object.class::cast).findFirst().orElse("string");
        }
        String format = String.valueOf(schema.get("format"));
        switch (String.valueOf(type)) {
            case "integer" -> {
                return RandomCases.longBetween(random, 0, 100);
            }
            case "number" -> {
                return random.nextInt(1000) / 10.0;
            }
            case "boolean" -> {
                return random.nextBoolean();
            }
            case "array" -> {
                List<Object> list = new ArrayList<>();
                int n = depth > 3 ? 0 : random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    list.add(valid((Map<String, Object>) schema.getOrDefault("items", Map.of()), random, depth + 1));
                }
                return list;
            }
            case "object" -> {
                Map<String, Object> object = new LinkedHashMap<>();
                if (depth < 4) {
                    ((Map<String, Object>) schema.getOrDefault("properties", Map.of())).forEach((k, v) ->
                            object.put(k, valid((Map<String, Object>) v, random, depth + 1)));
                }
                return object;
            }
            default -> {
                return switch (format) {
                    case "date-time" -> "2026-01-0" + (1 + random.nextInt(9)) + "T12:00:00Z";
                    case "date" -> "2026-01-01";
                    case "binary", "byte" -> "AAEC";
                    default -> "fuzz" + random.nextInt(1000);
                };
            }
        }
    }

    /** Something that is not what the schema wants: wrong type, null, huge, deep. */
    Object hostile(RandomGenerator random) {
        return switch (random.nextInt(12)) {
            case 0 -> null;
            case 1 -> "x".repeat(RandomCases.intBetween(random, 1, 200_000));
            case 2 -> new java.math.BigInteger("9".repeat(RandomCases.intBetween(random, 20, 400)));
            case 3 -> -1;
            case 4 -> Long.MIN_VALUE;
            case 5 -> 1.5;
            case 6 -> random.nextBoolean();
            case 7 -> List.of(1, "a", Map.of());
            case 8 -> Map.of("nested", Map.of("x", List.of()));
            case 9 -> pick(random, HOSTILE_STRINGS);
            case 10 -> new java.math.BigDecimal("1e400");
            default -> "";
        };
    }

    @SuppressWarnings("unchecked")
    byte[] jsonBody(Map<String, Object> schema, RandomGenerator random, int kind) {
        Object value = valid(schema, random, 0);
        if (kind == 3 && value instanceof Map<?, ?> map) {
            Map<String, Object> object = new LinkedHashMap<>((Map<String, Object>) map);
            List<String> keys = new ArrayList<>(object.keySet());
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                switch (random.nextInt(3)) {
                    case 0 -> {
                        if (!keys.isEmpty()) {
                            object.remove(pick(random, keys));
                        }
                    }
                    case 1 -> object.put(keys.isEmpty() ? "unknown" : pick(random, keys), hostile(random));
                    default -> object.put("unknown" + random.nextInt(9), hostile(random));
                }
            }
            value = object;
        } else if (kind == 3) {
            value = hostile(random);
        }
        if (kind == 4) {
            String text = json.writeValueAsString(value);
            return switch (random.nextInt(9)) {
                case 0 -> new byte[0];
                case 1 -> text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8);
                case 2 -> "[".repeat(RandomCases.intBetween(random, 1, 5000)).getBytes(StandardCharsets.UTF_8);
                case 3 -> "null".getBytes(StandardCharsets.UTF_8);
                case 4 -> "[1,2,3]".getBytes(StandardCharsets.UTF_8);
                case 5 -> RandomCases.bytes(random, 1, 300);
                case 6 -> (text + "}}}").getBytes(StandardCharsets.UTF_8);
                case 7 -> ("{\"a\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001)).getBytes(StandardCharsets.UTF_8);
                default -> "\"just a string\"".getBytes(StandardCharsets.UTF_8);
            };
        }
        return json.writeValueAsBytes(value);
    }

    @SuppressWarnings("unchecked")
    byte[] multipart(Map<String, Object> schema, RandomGenerator random, String boundary, int kind) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
        for (var property : properties.entrySet()) {
            Map<String, Object> propertySchema = resolve((Map<String, Object>) property.getValue());
            boolean file = "binary".equals(propertySchema.get("format"));
            if (kind == 3 && random.nextInt(3) == 0) {
                continue;
            }
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + property.getKey() + "\""
                    + (file ? "; filename=\"" + pick(random, List.of("blinky.hex", "x.bin", "a.dfu", "", "..\\..\\x.elf"))
                            + "\"\r\nContent-Type: application/octet-stream" : "")
                    + "\r\n\r\n";
            out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
            byte[] value;
            if (file) {
                value = kind == 0 || kind == 5 ? corpusFile(random) : RandomCases.bytes(random, 0, 2000);
            } else if (kind == 3) {
                value = String.valueOf(hostile(random)).getBytes(StandardCharsets.UTF_8);
            } else {
                value = String.valueOf(valid(propertySchema, random, 0)).getBytes(StandardCharsets.UTF_8);
            }
            out.writeBytes(value);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (!(kind == 4 && random.nextBoolean())) {
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    static byte[] corpusFile(RandomGenerator random) {
        String name = pick(random, List.of("blinky.hex", "blinky.srec", "blinky.dfu", "blinky.elf", "multi-gap.hex"));
        try (InputStream in = OpenApiFuzzingTest.class.getResourceAsStream("/firmware/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- sending and checking ------------------------------------------------------------------

    void check(Operation operation, Fuzzed request, long seed) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(request.path())).timeout(Duration.ofSeconds(60));
        HttpRequest.BodyPublisher publisher = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body());
        builder.method(request.method().toUpperCase(Locale.ROOT), publisher);
        request.headers().forEach(builder::header);
        switch (request.caller()) {
            case ADMIN_TOKEN -> builder.header("Authorization", "Bearer " + adminToken);
            case ADMIN_PASSWORD -> builder.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("fuzz-admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
            case VIEWER_TOKEN -> builder.header("Authorization", "Bearer " + viewerToken);
            case BAD_TOKEN -> builder.header("Authorization", "Bearer flt_not-a-token");
            case ANONYMOUS -> {
            }
        }
        HttpResponse<InputStream> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        byte[] body;
        try (InputStream in = response.body()) {
            // An event stream that was accepted stays open; its status and headers are the answer.
            body = type.startsWith("text/event-stream") ? new byte[0] : in.readAllBytes();
        }
        String where = String.format("%s (seed %d, %s, %s %s, caller %s, headers %s): %d %s %s",
                operation.key(), seed, request.what(), request.method().toUpperCase(Locale.ROOT),
                abbreviate(request.path()), request.caller(), request.headers(), status, type,
                abbreviate(new String(body, StandardCharsets.UTF_8)));
        if (status >= 500) {
            findings.add("server error: " + where);
        } else if (status >= 400) {
            if (!type.startsWith("application/problem+json")) {
                findings.add("not a problem document: " + where);
                return;
            }
            Map<String, Object> problem = readMap(body);
            if (problem == null || !(problem.get("type") instanceof String) || !(problem.get("code") instanceof String)
                    || !Integer.valueOf(status).equals(problem.get("status"))) {
                findings.add("problem document without type/code/status: " + where);
            }
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> readMap(byte[] body) {
        try {
            Object value = json.readValue(body, Object.class);
            return value instanceof Map<?, ?> ? (Map<String, Object>) value : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(300)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    static void appendQuery(StringBuilder query, String name, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(encode(name)).append('=').append(encode(value));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static <T> T pick(RandomGenerator random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
