package com.flashline.mes;

import static com.flashline.support.Fixtures.TESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

import com.flashline.support.Prerequisites;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.support.FlashLineSpringTest;
import com.flashline.support.MosquittoBroker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MES push against a real Mosquitto broker of the test's own: a subscriber (a persistent
 * session, as MES would have) ends up with every seq, also when the broker goes away in the
 * middle of a batch and when the publisher starts again from the position stored in the database.
 */
@FlashLineSpringTest
class MqttAuditPublisherTest {

    private static final String TOPIC = "flashline/test-station/audit";
    private static MosquittoBroker broker;

    @Autowired
    AuditLog auditLog;
    @Autowired
    MqttAuditPublisher publisher;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JsonMapper json;
    @Autowired
    MockMvc mvc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    PlatformTransactionManager transactionManager;

    private final ConcurrentMap<Long, AtomicInteger> received = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, String> payloads = new ConcurrentHashMap<>();
    private MqttClient subscriber;

    @BeforeAll
    static void mosquittoInstalled() {
        String reason = MosquittoBroker.unavailableReason();
        Prerequisites.require(reason);
    }

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        broker = MosquittoBroker.startOnFreePort();
        registry.add("flashline.mes.mqtt.url", broker::url);
        registry.add("flashline.mes.mqtt.batch-size", () -> "20");
        registry.add("flashline.mes.mqtt.poll-interval", () -> "50ms");
        registry.add("flashline.mes.mqtt.backoff-initial", () -> "50ms");
        registry.add("flashline.mes.mqtt.backoff-max", () -> "500ms");
        registry.add("flashline.mes.mqtt.operation-timeout", () -> "3s");
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void subscribe() throws Exception {
        subscriber = new MqttClient(broker.url(), "mes-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(500);
        subscriber.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    resubscribe(); // in case the broker lost the session
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
                long seq = json.readTree(payload).get("seq").asLong();
                payloads.put(seq, payload);
                received.computeIfAbsent(seq, s -> new AtomicInteger()).incrementAndGet();
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        subscriber.connect(options);
        subscriber.subscribe(TOPIC, 1);
    }

    private void resubscribe() {
        // Not on Paho's callback thread, which must not block on a subscribe.
        new Thread(() -> {
            try {
                subscriber.subscribe(TOPIC, 1);
            } catch (MqttException e) {
                // The next reconnect tries again.
            }
        }).start();
    }

    @AfterEach
    void unsubscribe() throws Exception {
        broker.start(); // a no-op when it runs
        publisher.start();
        if (subscriber.isConnected()) {
            subscriber.disconnect();
        }
        subscriber.close();
    }

    @Test
    void everyRecordArrivesInSeqOrderAsTheAuditPullsJsonObject() throws Exception {
        long first = append(30);
        long last = first + 29;
        await().atMost(Duration.ofSeconds(30)).until(() -> receivedAll(first, last));
        await().atMost(Duration.ofSeconds(10)).until(() -> position() == last);

        String pulled = mvc.perform(get("/api/v1/audit").param("after", Long.toString(first - 1)).param("limit", "1"))
                .andExpect(jsonPath("$.records[0].seq").value(first)).andReturn().getResponse().getContentAsString();
        JsonNode expected = json.readTree(pulled).get("records").get(0);
        assertThat(json.readTree(payloads.get(first))).isEqualTo(expected);
        assertThat(expected.get("hash").asString()).hasSize(64);
    }

    @Test
    void aBrokerOutageInTheMiddleOfABatchLosesNothing() {
        // Committed at once: a backlog of many batches, which the outage interrupts.
        long first = new TransactionTemplate(transactionManager).execute(status -> append(1000));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> countReceived(first) >= 100);
        broker.stop();
        long more = append(40);
        long last = more + 39;
        await().atMost(Duration.ofSeconds(30)).until(() -> !publisher.state().connected()
                && publisher.state().backlog() > 0);
        assertThat(publisher.state().lastError()).isNotNull();

        broker.start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(missing(first, last))
                .as("missing seqs; position %d, state %s", position(), publisher.state()).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> position() == last && publisher.state().backlog() == 0);
        assertThat(publisher.state().connected()).isTrue();
    }

    @Test
    void afterAKillPublishingResumesAfterTheStoredPosition() {
        long first = append(20);
        await().atMost(Duration.ofSeconds(30)).until(() -> position() == first + 19);
        publisher.stop();
        long more = append(20);
        long last = more + 19;
        // A kill between the broker's acknowledgement and the position's update: the stored
        // position lags behind what MES has received.
        long stored = first + 9;
        jdbc.update("UPDATE mes_delivery SET last_seq = ? WHERE station_id = 'test-station'", stored);
        int before = received.get(stored + 1).get();

        publisher.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> receivedAll(first, last));
        await().atMost(Duration.ofSeconds(10)).until(() -> position() == last);
        assertThat(received.get(stored + 1).get()).as("published again, identified by seq").isGreaterThan(before);
    }

    @Test
    void healthAndMetricsShowTheLinkAndTheBacklog() throws Exception {
        long first = append(5);
        await().atMost(Duration.ofSeconds(30)).until(() -> position() == first + 4);
        mvc.perform(get("/actuator/health"))
                .andExpect(jsonPath("$.components.mesLink.status").value("UP"))
                .andExpect(jsonPath("$.components.mesLink.details.backlog").value(0))
                .andExpect(jsonPath("$.components.mesLink.details.topic").value(TOPIC));
        assertThat(meters.get("flashline.mes.backlog").gauge().value()).isZero();
        assertThat(meters.get("flashline.mes.oldest.undelivered.age").timeGauge()).isNotNull();

        publisher.stop();
        append(3);
        broker.stop();
        publisher.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.state().backlog() == 3);
        mvc.perform(get("/actuator/health"))
                .andExpect(jsonPath("$.components.mesLink.status").value("DOWN"))
                .andExpect(jsonPath("$.components.mesLink.details.backlog").value(3))
                .andExpect(jsonPath("$.components.mesLink.details.reason").isNotEmpty());
        assertThat(meters.get("flashline.mes.backlog").gauge().value()).isEqualTo(3.0);
    }

    /** Appends records; returns the first one's seq. */
    private long append(int count) {
        long first = -1;
        for (int i = 0; i < count; i++) {
            long seq = auditLog.append(AuditEntry.of(AuditType.RECIPE_CHANGED, TESTER).detail("mes " + i).build());
            first = first < 0 ? seq : first;
        }
        return first;
    }

    private boolean receivedAll(long first, long last) {
        return missing(first, last).isEmpty();
    }

    private List<Long> missing(long first, long last) {
        return LongStream.rangeClosed(first, last).filter(seq -> !received.containsKey(seq)).boxed().toList();
    }

    private long countReceived(long first) {
        return received.keySet().stream().filter(seq -> seq >= first).count();
    }

    private long position() {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT last_seq FROM mes_delivery WHERE station_id = 'test-station'");
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("last_seq")).longValue();
    }
}
