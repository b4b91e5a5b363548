package com.flashline.mes;

import com.flashline.audit.AuditBacklog;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes this station's audit records to MES through an MQTT broker, QoS 1, in seq order, as
 * the JSON object of {@code GET /api/v1/audit}. The audit log is the outbox: a record is in it
 * once its transaction committed, and {@link MesDeliveryPosition} keeps the seq of the last record
 * the broker acknowledged. Each round publishes up to {@code batchSize} records after that
 * position, waits for their acknowledgements in order and moves the position to the last record
 * acknowledged without a gap before it. After a broker outage or a restart (also a kill) it
 * resumes after the stored position, so a record may be published twice (MES recognises it by
 * {@code seq}) but never skipped. While the broker cannot be reached it waits, doubling the wait
 * up to {@code backoffMax}.
 */
class MqttAuditPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MqttAuditPublisher.class);

    /** What health and metrics show; replaced as a whole, read without locking. */
    record LinkState(boolean connected, long position, long backlog, Instant oldestUndelivered, String lastError) {
    }

    private final MesMqttProperties properties;
    private final MqttConnectOptions connectOptions;
    private final String stationId;
    private final String topic;
    private final AuditLog auditLog;
    private final MesDeliveryPosition positions;
    private final JsonMapper json;
    private final Clock clock;
    private final Object signal = new Object();

    private volatile LinkState state = new LinkState(false, 0, 0, null, null);
    private volatile boolean running;
    private Thread thread;
    private MqttAsyncClient client;

    MqttAuditPublisher(MesMqttProperties properties, MqttConnectOptions connectOptions, String stationId,
            AuditLog auditLog, MesDeliveryPosition positions, JsonMapper json, Clock clock) {
        this.properties = properties;
        this.connectOptions = connectOptions;
        this.stationId = stationId;
        this.topic = properties.topic(stationId);
        this.auditLog = auditLog;
        this.positions = positions;
        this.json = json;
        this.clock = clock;
    }

    LinkState state() {
        return state;
    }

    String topic() {
        return topic;
    }

    /** How long the oldest record not yet acknowledged has waited; zero when none waits. */
    Duration oldestUndeliveredAge() {
        Instant oldest = state.oldestUndelivered();
        return oldest == null ? Duration.ZERO : Duration.between(oldest, clock.instant());
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "mes-mqtt");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        Thread stopping;
        synchronized (this) {
            running = false;
            stopping = thread;
        }
        synchronized (signal) {
            signal.notifyAll();
        }
        // Not interrupted: an interrupt inside a JDBC call can close an H2 file database's channel.
        // Every wait of the loop is bounded by the operation timeout.
        if (stopping != null) {
            try {
                stopping.join(properties.operationTimeout().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Duration backoff = properties.backoffInitial();
        long position = -1;
        while (running) {
            try {
                if (position < 0) {
                    position = positions.read(stationId);
                }
                connect();
                backoff = properties.backoffInitial();
                long delivered = deliver(position);
                boolean idle = delivered == position;
                position = delivered;
                publishState(true, position, null);
                if (idle) {
                    pause(properties.pollInterval());
                }
            } catch (MqttException | RuntimeException e) {
                if (!running) {
                    break;
                }
                String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (state.connected() || !reason.equals(state.lastError())) {
                    log.warn("MES push to {} paused ({}); next attempt in {}", properties.redactedUrl(), reason, backoff);
                }
                disconnect();
                // The stored position is the truth after a failure: records may have been acknowledged late.
                position = -1;
                publishStateQuietly(reason);
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(properties.backoffMax()) > 0 ? properties.backoffMax()
                        : backoff.multipliedBy(2);
            }
        }
        disconnect();
    }

    /** Publishes the next batch after {@code position}; returns the new position. */
    private long deliver(long position) throws MqttException {
        List<AuditRecord> batch = auditLog.stationRecordsAfter(stationId, position, properties.batchSize());
        List<IMqttDeliveryToken> tokens = new ArrayList<>(batch.size());
        for (AuditRecord record : batch) {
            MqttMessage message = new MqttMessage(json.writeValueAsBytes(record));
            message.setQos(1);
            tokens.add(client.publish(topic, message));
        }
        long acknowledged = position;
        try {
            for (int i = 0; i < tokens.size(); i++) {
                tokens.get(i).waitForCompletion(properties.operationTimeout().toMillis());
                acknowledged = batch.get(i).seq();
            }
        } finally {
            if (acknowledged > position) {
                positions.advance(stationId, acknowledged);
            }
        }
        return acknowledged;
    }

    private void connect() throws MqttException {
        if (client != null && client.isConnected()) {
            return;
        }
        disconnect();
        MqttAsyncClient fresh = new MqttAsyncClient(properties.url(), clientId(), new MemoryPersistence());
        try {
            fresh.connect(connectOptions).waitForCompletion(properties.operationTimeout().toMillis());
        } catch (MqttException e) {
            closeQuietly(fresh);
            throw e;
        }
        client = fresh;
        log.info("MES push connected to {}, publishing on {}", properties.redactedUrl(), topic);
    }

    private String clientId() {
        return properties.clientId() != null ? properties.clientId() : "flashline-" + stationId;
    }

    private void disconnect() {
        MqttAsyncClient closing = client;
        client = null;
        if (closing != null) {
            try {
                if (closing.isConnected()) {
                    closing.disconnect(0).waitForCompletion(1000);
                }
            } catch (MqttException e) {
                // Going anyway; the broker drops the session.
            }
            closeQuietly(closing);
        }
    }

    private static void closeQuietly(MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (MqttException e) {
            // Nothing left to release.
        }
    }

    private void publishState(boolean connected, long position, String error) {
        AuditBacklog backlog = auditLog.backlog(stationId, position);
        state = new LinkState(connected, position, backlog.records(), backlog.oldestRecordedAt(), error);
    }

    private void publishStateQuietly(String error) {
        try {
            long position = positions.read(stationId);
            publishState(false, position, error);
        } catch (RuntimeException databaseToo) {
            LinkState last = state;
            state = new LinkState(false, last.position(), last.backlog(), last.oldestUndelivered(), error);
        }
    }

    private void pause(Duration duration) {
        synchronized (signal) {
            if (!running) {
                return;
            }
            try {
                signal.wait(Math.max(1, duration.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
