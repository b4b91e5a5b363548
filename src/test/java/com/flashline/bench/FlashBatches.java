package com.flashline.bench;

import com.flashline.firmware.Segment;
import com.flashline.firmware.TestFirmwareWriters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;

/**
 * The fixture work the service benchmarks share: a service with N simulated STM32F407 ports and N
 * workers, one firmware + recipe + auto-start, and batches of N fresh boards plugged at once.
 *
 * <p>Firmware: {@link #IMAGE_BYTES} fixed-seed pseudo-random bytes at 0x08000000 with a valid
 * vector table (so the board starts its application after Leave, like real firmware), uploaded as
 * Intel HEX. Recipe: sector erase, a 16-byte serial record {@code BENCH-{seq:08d}} at 0x0803FF00
 * (inside sector 5, the last one the image touches, so no extra sector is erased), verify, leave.
 */
final class FlashBatches {

    static final long FLASH = 0x0800_0000L;
    /** Sectors 0..5 of an F407 (4 x 16 KiB, 64 KiB, 128 KiB) minus the last 256 bytes, where the serial goes. */
    static final int IMAGE_BYTES = 256 * 1024 - 256;
    static final long SERIAL_ADDRESS = FLASH + 256 * 1024 - 256;
    static final String CHIP = "STM32F407";
    static final Set<String> FINAL = Set.of("PASSED", "FAILED", "CANCELLED", "INTERRUPTED");

    private FlashBatches() {
    }

    /** One finished job as the service recorded it. */
    record JobRecord(long id, String port, String state, String errorCode, long durationMs, Instant queuedAt,
            Instant startedAt, Instant finishedAt) {
    }

    /**
     * One batch: when the plug request was sent, the jobs (one per port), and the protocol
     * violations the simulated boards counted.
     */
    record Batch(Instant plugStart, List<JobRecord> jobs, int violations) {

        Duration wall() {
            Instant last = jobs.stream().map(JobRecord::finishedAt).max(Instant::compareTo).orElse(plugStart);
            return Duration.between(plugStart, last);
        }

        long passed() {
            return jobs.stream().filter(j -> j.state().equals("PASSED")).count();
        }

        Map<String, JobRecord> byPort() {
            return jobs.stream().collect(Collectors.toMap(JobRecord::port, j -> j));
        }

        String failures() {
            return jobs.stream().filter(j -> !j.state().equals("PASSED"))
                    .map(j -> j.port() + "=" + j.state() + "/" + j.errorCode()).collect(Collectors.joining(", "));
        }
    }

    /** The child's JVM options and Spring properties for an {@code ports}-port fixture at {@code timeScale}. */
    static Map<String, String> serviceProperties(int ports, double timeScale) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64");
        p.put("flashline.station.id", "bench");
        p.put("flashline.workers", Integer.toString(ports));
        p.put("flashline.usb.enabled", "false");
        p.put("flashline.simulator.enabled", "true");
        p.put("flashline.simulator.ports", Integer.toString(ports));
        p.put("flashline.simulator.chip", CHIP);
        p.put("flashline.simulator.time-scale", String.format(Locale.ROOT, "%s", timeScale));
        p.put("flashline.simulator.plug-at-start", "false");
        p.put("flashline.simulator.replace-finished-after", "0s");
        p.put("logging.level.root", "warn");
        p.put("logging.level.com.flashline", "info");
        return p;
    }

    static List<String> ports(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "sim-" + i).toList();
    }

    /** Uploads the firmware, creates the recipe and makes it the auto-started station default. */
    static void prepare(ServiceClient client) throws IOException, InterruptedException {
        byte[] hex = TestFirmwareWriters.intelHex(List.of(new Segment(FLASH, image())), 16, false, true);
        long firmwareId = client.uploadFirmware("bench-f407.hex", hex, "bench-f407", "1.0.0").path("id").asLong();
        String recipe = String.format(Locale.ROOT, """
                {"name": "bench-f407", "firmwareId": %d, "eraseMode": "SECTORS",
                 "serial": {"address": %d, "format": "BENCH-{seq:08d}", "start": 1, "length": 16},
                 "leave": true}""", firmwareId, SERIAL_ADDRESS);
        long recipeId = client.postJson("/api/v1/recipes", recipe, 201).path("id").asLong();
        client.putJson("/api/v1/station", "{\"defaultRecipeId\": " + recipeId + ", \"autoStart\": true}");
    }

    static byte[] image() {
        byte[] image = new byte[IMAGE_BYTES];
        new Random(20261125L).nextBytes(image);
        // Initial stack pointer at the top of the F407's 128 KiB SRAM, reset handler (Thumb) in flash.
        ByteBuffer vectors = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        vectors.putInt(0, 0x2002_0000);
        vectors.putInt(4, (int) (FLASH + 0x189));
        return image;
    }

    /**
     * Puts a fresh blank board on every port at once, as a fixture's bed of boards powers up: one
     * {@code POST /api/v1/simulator/boards}, whose arrivals the service reports one after another
     * (auto-start queues a job for each); then waits until every port's new job is final, at most
     * {@code timeout}. Not one request per board: a real fixture has no HTTP client per slot, and
     * 32 concurrent requests made a batch's first ~120 ms a burst of 32 request threads that no
     * station sees (docs/reliability.md, "Later on 2026-12-03").
     */
    static Batch run(ServiceClient client, List<String> ports, Duration timeout) throws IOException, InterruptedException {
        long lastIdBefore = newestJobId(client);
        Instant plugStart = Instant.now();
        JsonNode plugged = client.postJson("/api/v1/simulator/boards", client.json().writeValueAsString(
                Map.of("ports", ports)), 201);
        if (plugged.size() != ports.size()) {
            throw new IOException("plugging " + ports.size() + " boards answered " + plugged);
        }
        List<JobRecord> jobs = awaitFinished(client, ports, lastIdBefore, timeout);
        Map<String, Integer> violations = violations(client);
        int total = ports.stream().mapToInt(p -> violations.getOrDefault(p, 0)).sum();
        return new Batch(plugStart, jobs, total);
    }

    private static long newestJobId(ServiceClient client) throws IOException, InterruptedException {
        JsonNode items = client.get("/api/v1/jobs?page=0&size=1").path("items");
        return items.isEmpty() ? 0 : items.get(0).path("id").asLong();
    }

    private static List<JobRecord> awaitFinished(ServiceClient client, List<String> ports, long lastIdBefore,
            Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int size = Math.min(500, ports.size() + 20);
        while (true) {
            // Cheap check first (two counts), so that polling costs the service little CPU; the full
            // list with phases only once nothing is queued or running.
            if (live(client, "QUEUED") + live(client, "RUNNING") > 0 && System.nanoTime() < deadline) {
                // Polling the service; the batch's times come from the job records, not from this loop.
                TimeUnit.MILLISECONDS.sleep(200);
                continue;
            }
            Map<String, JobRecord> newest = new HashMap<>();
            for (JsonNode job : client.get("/api/v1/jobs?page=0&size=" + size).path("items")) {
                if (job.path("id").asLong() > lastIdBefore) {
                    newest.merge(job.path("port").asString(), record(job), (a, b) -> a.id() > b.id() ? a : b);
                }
            }
            boolean allFinal = ports.stream().allMatch(p -> newest.containsKey(p) && FINAL.contains(newest.get(p).state()));
            if (allFinal) {
                return ports.stream().map(newest::get).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("after " + timeout + " only " + newest.values().stream()
                        .filter(j -> FINAL.contains(j.state())).count() + " of " + ports.size()
                        + " jobs were final; jobs seen: " + newest.values());
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static long live(ServiceClient client, String state) throws IOException, InterruptedException {
        return client.get("/api/v1/jobs?page=0&size=1&state=" + state).path("totalElements").asLong();
    }

    private static JobRecord record(JsonNode job) {
        JsonNode error = job.path("error");
        return new JobRecord(job.path("id").asLong(), job.path("port").asString(), job.path("state").asString(),
                error.isNull() || error.isMissingNode() ? null : error.path("code").asString(),
                job.path("durationMs").asLong(-1), instant(job.path("queuedAt")), instant(job.path("startedAt")),
                instant(job.path("finishedAt")));
    }

    private static Instant instant(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : Instant.parse(node.asString());
    }

    /** Protocol violations counted by the board on each simulated port ({@code GET /api/v1/simulator/ports}). */
    static Map<String, Integer> violations(ServiceClient client) throws IOException, InterruptedException {
        Map<String, Integer> byPort = new HashMap<>();
        for (JsonNode port : client.get("/api/v1/simulator/ports")) {
            JsonNode count = port.path("violations");
            if (count.isMissingNode()) {
                throw new IOException("the service's simulator view has no 'violations' field: " + port);
            }
            byPort.put(port.path("path").asString(), count.asInt());
        }
        return byPort;
    }
}
