package com.flashline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * GET requests on a fixed open-loop schedule: request {@code i} is due at {@code start + i / rate}
 * whatever happened to the earlier ones (so a slow service cannot slow the load down and hide its
 * latency), round-robin over the paths. A request's latency runs from when it was due to when its
 * whole response was read. Bounded twice: at most {@code maxRequests} and {@code maxDuration};
 * {@link #stop()} ends it earlier. Loopback only (the base URI is the child service's 127.0.0.1).
 */
final class OpenLoopLoad implements Runnable {

    /** Latencies in milliseconds per path, plus how many requests failed or got a non-200. */
    record Outcome(Map<String, List<Double>> latencyMillis, int errors, int sent, double seconds, double maxLagMillis) {
    }

    private final HttpClient http;
    private final String authorization;
    private final List<URI> targets;
    private final List<String> paths;
    private final double ratePerSecond;
    private final int maxRequests;
    private final Duration maxDuration;
    private final Map<String, ConcurrentLinkedQueue<Double>> latencies = new LinkedHashMap<>();
    private final AtomicInteger errors = new AtomicInteger();
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
    private volatile boolean stopped;
    private int sent;
    private double seconds;
    private double maxLagMillis;

    /** @param authorization the {@code Authorization} header every request sends */
    OpenLoopLoad(URI base, String authorization, List<String> paths, double ratePerSecond, int maxRequests,
            Duration maxDuration) {
        this.authorization = authorization;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        this.paths = List.copyOf(paths);
        this.targets = paths.stream().map(base::resolve).toList();
        this.ratePerSecond = ratePerSecond;
        this.maxRequests = maxRequests;
        this.maxDuration = maxDuration;
        paths.forEach(p -> latencies.put(p, new ConcurrentLinkedQueue<>()));
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        long periodNanos = Math.round(1e9 / ratePerSecond);
        long start = System.nanoTime();
        long end = start + maxDuration.toNanos();
        for (int i = 0; i < maxRequests && !stopped; i++) {
            long due = start + i * periodNanos;
            if (due > end) {
                break;
            }
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            maxLagMillis = Math.max(maxLagMillis, (System.nanoTime() - due) / 1e6);
            int target = i % targets.size();
            HttpRequest request = HttpRequest.newBuilder(targets.get(target)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization).GET().build();
            ConcurrentLinkedQueue<Double> sink = latencies.get(paths.get(target));
            inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
                double millis = (System.nanoTime() - due) / 1e6;
                if (failure != null || response.statusCode() != 200) {
                    errors.incrementAndGet();
                } else {
                    sink.add(millis);
                }
            }));
            sent++;
        }
        seconds = (System.nanoTime() - start) / 1e9;
        for (CompletableFuture<?> request : inFlight) {
            try {
                request.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // already counted as an error by whenComplete, or timed out: count it
                if (!request.isDone()) {
                    errors.incrementAndGet();
                }
            }
        }
    }

    /** The result; call after {@link #run()} returned. */
    Outcome outcome() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        latencies.forEach((path, samples) -> copy.put(path, List.copyOf(samples)));
        return new Outcome(copy, errors.get(), sent, seconds, maxLagMillis);
    }
}
