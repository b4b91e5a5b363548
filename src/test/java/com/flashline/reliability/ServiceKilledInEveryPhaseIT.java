package com.flashline.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import com.flashline.flashing.Phase;
import com.flashline.sim.ChipProfile;
import com.flashline.support.Fixtures;
import com.flashline.support.MosquittoBroker;
import com.flashline.support.PostgresTestServer;
import com.flashline.support.SimulatedStation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, row 1: the service killed with SIGKILL in every phase of a job ({@link Phase}, CONNECT
 * ... LEAVE), on an H2 file database and on PostgreSQL. The service runs as a child JVM
 * ({@link KillHarnessChild}) with a simulated 2-port fixture: on {@code sim-2} a board whose job the
 * child holds in the phase under test, on {@code sim-1} the board interrupted by the previous kill,
 * arriving again. One child per phase: it is started on the database the previous one was killed
 * on, and checked before any board arrives:
 * <ul>
 * <li>no job is QUEUED or RUNNING; the killed job is INTERRUPTED, with the phase it was in;</li>
 * <li>the audit log has every seq from 1 to its head and its chain verifies
 *     ({@code GET /api/v1/audit/verify});</li>
 * <li>every PASSED job has its JOB_PASSED record (same serial number), and every JOB_PASSED record a
 *     PASSED job; a chip has one serial number however often it was allocated one;</li>
 * </ul>
 * then the interrupted board arrives again and passes, with the serial number its chip had.
 * Prints one line per phase and database: the phase, the database, the time from the kill to the
 * new child's health answering, the outcome.
 *
 * <p>Also issue 15's "kill the service and restart it: a subscriber ends up with every seq", with
 * the MES push to a Mosquitto broker of the test's own.
 */
class ServiceKilledInEveryPhaseIT {

    private static final String RESUME_PORT = "sim-1";
    private static final String HOLD_PORT = "sim-2";
    private static final long SERIAL_ADDRESS = Fixtures.FLASH + 0x4000;
    private static final Duration JOB_LIMIT = Duration.ofSeconds(90);
    private static final List<String> SUMMARY = new ArrayList<>();

    private final List<ServiceChild> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(ServiceChild::close);
        children.clear();
    }

    @AfterAll
    static void printSummary() {
        System.out.println("---- service killed in every phase ----");
        SUMMARY.forEach(System.out::println);
    }

    @Test
    void h2File(@TempDir Path directory) {
        String url = "jdbc:h2:file:" + directory.resolve("flashline").toAbsolutePath()
                + ";LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64";
        everyPhase("h2-file", Map.of("spring.datasource.url", url), directory);
    }

    @Test
    void postgres(@TempDir Path directory) throws Exception {
        String unavailable = PostgresTestServer.unavailableReason();
        if (unavailable != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(unavailable);
            }
            Assumptions.abort(unavailable);
        }
        PostgresTestServer.Server server = PostgresTestServer.server();
        String schema = "flkill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        server.execute("CREATE SCHEMA " + schema);
        try {
            everyPhase("postgres", server.serviceProperties(schema), directory);
        } finally {
            killChildren();
            server.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void anMqttSubscriberGetsEverySeqAcrossAKill(@TempDir Path directory) throws Exception {
        String unavailable = MosquittoBroker.unavailableReason();
        if (unavailable != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(unavailable);
            }
            Assumptions.abort(unavailable);
        }
        Map<Long, AtomicInteger> received = new ConcurrentHashMap<>();
        try (MosquittoBroker broker = MosquittoBroker.startOnFreePort()) {
            MqttClient subscriber = new MqttClient(broker.url(), "mes-killtest", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(false);
            subscriber.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
                    long seq = ((Number) com.jayway.jsonpath.JsonPath.read(payload, "$.seq")).longValue();
                    received.computeIfAbsent(seq, s -> new AtomicInteger()).incrementAndGet();
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            subscriber.connect(options);
            subscriber.subscribe("flashline/killtest/audit", 1);
            try {
                Path control = Files.createDirectories(directory.resolve("control"));
                Map<String, String> properties = new LinkedHashMap<>(station(control));
                properties.put("spring.datasource.url", "jdbc:h2:file:" + directory.resolve("flashline")
                        .toAbsolutePath() + ";LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64");
                properties.put("flashline.mes.mqtt.url", broker.url());
                // One record in flight at a time: the stream is still flowing when the kill comes.
                properties.put("flashline.mes.mqtt.batch-size", "1");
                properties.put("flashline.mes.mqtt.poll-interval", "100ms");

                Map<String, String> holding = new LinkedHashMap<>(properties);
                holding.put("killtest.hold-phase", Phase.WRITE.name());
                holding.put("killtest.hold-port", HOLD_PORT);
                ServiceChild first = start("mqtt-0", holding);
                StationApi api = new StationApi(first.base());
                setUpStation(api);
                plug(control, RESUME_PORT, uid(9, 1), false);
                plug(control, HOLD_PORT, uid(9, 2), false);
                long held = awaitHeld(control, api, Phase.WRITE);
                await("the subscriber's first records").atMost(JOB_LIMIT).until(() -> !received.isEmpty());
                long beforeKill = headSeq(api);
                int receivedBeforeKill = received.size();
                assertThat(first.kill()).as("exit status of SIGKILL").isEqualTo(137);

                ServiceChild second = start("mqtt-1", properties);
                api = new StationApi(second.base());
                assertThat(api.job(held).get("state")).isEqualTo("INTERRUPTED");
                plug(control, HOLD_PORT, uid(9, 2), false);
                plug(control, RESUME_PORT, uid(9, 3), false);
                StationApi after = api;
                await("both boards passed").atMost(JOB_LIMIT).until(() -> after.jobs().stream()
                        .filter(j -> "PASSED".equals(j.get("state"))).count() == 3);
                long head = headSeq(api);
                await("every seq 1.." + head + " at the subscriber").atMost(JOB_LIMIT)
                        .until(() -> received.keySet().containsAll(seqs(head)));
                int duplicates = received.values().stream().mapToInt(AtomicInteger::get).sum() - received.size();
                assertThat(receivedBeforeKill).as("the kill came mid-stream").isLessThan((int) head);
                line(String.format("mqtt-kill      db=h2-file  head before kill %d, received before kill %d, "
                        + "head at end %d, every seq 1..%d received, %d duplicate(s)", beforeKill,
                        receivedBeforeKill, head, head, duplicates));
            } finally {
                subscriber.disconnect();
                subscriber.close();
            }
        }
    }

    /** The whole matrix on one database: one child per phase, each killed in its phase. */
    private void everyPhase(String db, Map<String, String> database, Path directory) {
        Path control;
        try {
            control = Files.createDirectories(directory.resolve("control"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> properties = new LinkedHashMap<>(station(control));
        properties.putAll(database);
        int dbCode = db.startsWith("h2") ? 1 : 2;
        Phase[] phases = Phase.values();
        ServiceChild child = start(db + "-0", hold(properties, phases[0]));
        StationApi api = new StationApi(child.base());
        setUpStation(api);
        String againUid = null;
        boolean againProtected = false;
        String serialBeforeKill = null;
        for (int i = 0; i <= phases.length; i++) {
            Phase phase = i < phases.length ? phases[i] : null;
            if (againUid != null) {
                plug(control, RESUME_PORT, againUid, againProtected);
            }
            long held = -1;
            String uid = uid(dbCode, i + 1);
            if (phase != null) {
                plug(control, HOLD_PORT, uid, phase == Phase.UNPROTECT);
                held = awaitHeld(control, api, phase);
            }
            if (againUid != null) {
                Map<String, Object> again = awaitPassedOn(api, RESUME_PORT, againUid);
                if (serialBeforeKill != null) {
                    assertThat(again.get("serialNumber")).as("the same chip's serial number").isEqualTo(serialBeforeKill);
                }
                SUMMARY.set(SUMMARY.size() - 1, SUMMARY.get(SUMMARY.size() - 1) + String.format(
                        "; next arrival PASSED (job %s) serial %s", again.get("id"), again.get("serialNumber")));
                checkRecords(api);
            }
            if (phase == null) {
                break;
            }
            Map<String, Object> seen = api.job(held);
            long started = System.nanoTime();
            int status = child.kill();
            assertThat(status).as("exit status of SIGKILL (128 + 9)").isEqualTo(137);
            child = start(db + "-" + (i + 1), hold(properties, i + 1 < phases.length ? phases[i + 1] : null));
            long restartMs = (System.nanoTime() - started) / 1_000_000;
            api = new StationApi(child.base());

            Map<String, Object> recorded = api.job(held);
            assertThat(api.jobs()).as("no job left QUEUED or RUNNING")
                    .allSatisfy(j -> assertThat(j.get("state")).isNotIn("QUEUED", "RUNNING"));
            assertThat(recorded.get("state")).isEqualTo("INTERRUPTED");
            assertThat(recorded.get("phase")).as("the phase it was killed in").isEqualTo(phase.name());
            @SuppressWarnings("unchecked")
            Map<String, Object> error = (Map<String, Object>) recorded.get("error");
            assertThat(error.get("code")).isEqualTo("INTERRUPTED");
            assertThat((String) error.get("message")).contains("in phase " + phase);
            checkRecords(api);
            serialBeforeKill = serialOf(api, uid);
            line(String.format("kill-9 phase=%-12s db=%-8s restart=%6d ms  seen %s %s bytes %s/%s -> recorded %s in %s",
                    phase, db, restartMs, seen.get("state"), seen.get("phase"), seen.get("bytesDone"),
                    seen.get("bytesTotal"), recorded.get("state"), recorded.get("phase")));
            againUid = uid;
            againProtected = phase == Phase.UNPROTECT;
        }
    }

    /**
     * Every seq from 1 to the head, a chain that verifies, no PASSED job without its JOB_PASSED
     * record and no such record without a PASSED job, one serial number per chip and chip per serial.
     */
    private static void checkRecords(StationApi api) {
        Map<String, Object> verification = api.verifyAudit();
        assertThat(verification.get("valid")).as("audit chain: %s", verification).isEqualTo(true);
        long head = ((Number) verification.get("headSeq")).longValue();
        assertThat(((Number) verification.get("records")).longValue()).isEqualTo(head);
        List<Map<String, Object>> audit = api.audit();
        assertThat(audit).extracting(r -> ((Number) r.get("seq")).longValue())
                .as("no gap in the audit log").containsExactlyElementsOf(seqs(head));
        Map<Long, Object> passedRecords = audit.stream().filter(r -> "JOB_PASSED".equals(r.get("type")))
                .collect(Collectors.toMap(r -> ((Number) r.get("jobId")).longValue(),
                        r -> Objects.requireNonNullElse(r.get("serialNumber"), "")));
        Map<Long, Object> passedJobs = api.jobs().stream().filter(j -> "PASSED".equals(j.get("state")))
                .collect(Collectors.toMap(j -> ((Number) j.get("id")).longValue(),
                        j -> Objects.requireNonNullElse(j.get("serialNumber"), "")));
        assertThat(passedRecords).as("PASSED jobs and their JOB_PASSED records").isEqualTo(passedJobs);
        Map<Object, Set<Object>> serialsByChip = audit.stream().filter(r -> "SERIAL_ALLOCATED".equals(r.get("type")))
                .collect(Collectors.groupingBy(r -> r.get("chipUid"),
                        Collectors.mapping(r -> r.get("serialNumber"), Collectors.toSet())));
        assertThat(serialsByChip).as("one serial number per chip").allSatisfy((chip, serials) ->
                assertThat(serials).hasSize(1));
        assertThat(serialsByChip.values().stream().map(s -> s.iterator().next()).collect(Collectors.toSet()))
                .as("one chip per serial number").hasSize(serialsByChip.size());
    }

    /** The serial number allocated to the chip so far, or null. */
    private static String serialOf(StationApi api, String uid) {
        return api.audit().stream().filter(r -> "SERIAL_ALLOCATED".equals(r.get("type")))
                .filter(r -> uid.equalsIgnoreCase((String) r.get("chipUid")))
                .map(r -> (String) r.get("serialNumber")).findFirst().orElse(null);
    }

    private static Map<String, Object> awaitPassedOn(StationApi api, String port, String uid) {
        Map<String, Object>[] job = newJobHolder();
        await("the job of " + uid + " on " + port).atMost(JOB_LIMIT).until(() -> {
            job[0] = api.jobsOn(port).stream().filter(j -> uid.equalsIgnoreCase((String) j.get("uid"))).findFirst()
                    .orElse(null);
            return job[0] != null && !Set.of("QUEUED", "RUNNING").contains(job[0].get("state"));
        });
        assertThat(job[0].get("state")).as("the board's next job: %s", job[0]).isEqualTo("PASSED");
        return job[0];
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object>[] newJobHolder() {
        return new Map[1];
    }

    /** Waits for the child's note that it holds a job in {@code phase}; returns the job's id. */
    private static long awaitHeld(Path control, StationApi api, Phase phase) {
        long[] id = {-1};
        await("a job held in " + phase).atMost(JOB_LIMIT).until(() -> {
            try (DirectoryStream<Path> held = Files.newDirectoryStream(control, "held-*")) {
                for (Path note : held) {
                    id[0] = Long.parseLong(note.getFileName().toString().substring("held-".length()));
                    Files.delete(note);
                    return true;
                }
            }
            return false;
        });
        Map<String, Object> job = api.job(id[0]);
        assertThat(job.get("state")).isEqualTo("RUNNING");
        assertThat(job.get("phase")).isEqualTo(phase.name());
        if (phase == Phase.ERASE || phase == Phase.WRITE || phase == Phase.VERIFY) {
            assertThat(((Number) job.get("bytesDone")).longValue()).as("bytes done in " + phase).isPositive();
        }
        return id[0];
    }

    private static void setUpStation(StationApi api) {
        long firmware = api.uploadFirmware("killtest.bin", SimulatedStation.applicationImage(8 * 1024, 16),
                Fixtures.FLASH);
        ChipProfile.OptionBlock block = ChipProfile.STM32F407.optionBytes().first();
        byte[] options = block.factoryDefaults();
        options[2] ^= 0x01; // a user option bit, never the read-protection byte
        long recipe = api.createRecipe("{\"name\":\"killtest\",\"firmwareId\":" + firmware
                + ",\"eraseMode\":\"SECTORS\",\"verify\":true,\"allowUnprotect\":true,\"leave\":true,"
                + "\"serial\":{\"address\":" + SERIAL_ADDRESS + ",\"format\":\"KT-{seq:06d}\",\"start\":1,\"length\":16},"
                + "\"optionBytes\":{\"address\":" + block.base() + ",\"hex\":\"" + HexFormat.of().formatHex(options)
                + "\"}}");
        api.configureStation(recipe);
    }

    private static Map<String, String> station(Path control) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("flashline.station.id", "killtest");
        properties.put("flashline.usb.enabled", "false");
        properties.put("flashline.simulator.enabled", "true");
        properties.put("flashline.simulator.ports", "2");
        properties.put("flashline.simulator.chip", "STM32F407");
        properties.put("flashline.simulator.time-scale", "0.05");
        properties.put("flashline.simulator.plug-at-start", "false");
        properties.put("flashline.workers", "2");
        properties.put("flashline.dfu.reenumeration-timeout", "5s");
        properties.put("killtest.control", control.toAbsolutePath().toString());
        return properties;
    }

    private static Map<String, String> hold(Map<String, String> properties, Phase phase) {
        Map<String, String> holding = new LinkedHashMap<>(properties);
        if (phase != null) {
            holding.put("killtest.hold-phase", phase.name());
            holding.put("killtest.hold-port", HOLD_PORT);
        }
        return holding;
    }

    private ServiceChild start(String name, Map<String, String> properties) {
        ServiceChild child = ServiceChild.start(name, properties);
        children.add(child);
        return child;
    }

    /** Asks the child to put a board with chip UID {@code uid} on {@code port}. */
    private static void plug(Path control, String port, String uid, boolean readProtected) {
        try {
            Path ask = control.resolve("asking-" + port);
            Files.writeString(ask, uid + (readProtected ? " protected" : ""));
            Files.move(ask, control.resolve("plug-" + port)); // whole, never half-written
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 96-bit chip UID (hex) of its own for each board of each database. */
    private static String uid(int db, int board) {
        return String.format("4B494C4C%08X%08X", db, board);
    }

    private static long headSeq(StationApi api) {
        return ((Number) api.verifyAudit().get("headSeq")).longValue();
    }

    private static List<Long> seqs(long head) {
        return LongStream.rangeClosed(1, head).boxed().toList();
    }

    private static void line(String text) {
        System.out.println(text);
        SUMMARY.add(text);
    }
}
