package com.flashline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dashboards on {@code GET /api/v1/events}: each client reads its stream on a thread of its own
 * and, for every {@code port} event after its snapshot, records how long after the port's change
 * ({@code since}, the service's clock on the same machine) the event arrived.
 */
final class EventStreamClients implements AutoCloseable {

    private final List<InputStream> streams = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Double> delaysMillis = new ConcurrentLinkedQueue<>();
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile boolean recording;

    /** Connects {@code count} clients and waits until each has read its snapshot. */
    static EventStreamClients connect(ServiceClient client, int count) throws IOException, InterruptedException {
        EventStreamClients clients = new EventStreamClients();
        CountDownLatch snapshots = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            HttpRequest request = HttpRequest.newBuilder(client.uri("/api/v1/events"))
                    .header("Authorization", client.authorization()).header("Accept", "text/event-stream").build();
            HttpResponse<InputStream> response = client.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IOException("GET /api/v1/events answered " + response.statusCode());
            }
            clients.streams.add(response.body());
            Thread reader = new Thread(() -> clients.read(response.body(), snapshots), "bench-events-" + i);
            reader.setDaemon(true);
            reader.start();
            clients.readers.add(reader);
        }
        if (!snapshots.await(30, TimeUnit.SECONDS)) {
            throw new IOException("not every event stream client got its snapshot within 30 s");
        }
        clients.recording = true;
        return clients;
    }

    private void read(InputStream stream, CountDownLatch snapshots) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String event = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Instant received = Instant.now();
                if (line.startsWith("event:")) {
                    event = line.substring("event:".length()).strip();
                } else if (line.startsWith("data:") && event != null) {
                    if (event.equals("station")) {
                        snapshots.countDown();
                    } else if (event.equals("port") && recording) {
                        JsonNode port = json.readTree(line.substring("data:".length()));
                        Instant since = Instant.parse(port.path("since").asString());
                        delaysMillis.add(Duration.between(since, received).toNanos() / 1e6);
                    }
                }
            }
        } catch (IOException closed) {
            // close() ends the stream
        }
    }

    /** The delays recorded so far, and a fresh start. */
    List<Double> drainDelays() {
        List<Double> drained = new ArrayList<>();
        for (Double d = delaysMillis.poll(); d != null; d = delaysMillis.poll()) {
            drained.add(d);
        }
        return drained;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        recording = false;
        for (InputStream stream : streams) {
            stream.close();
        }
        for (Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
