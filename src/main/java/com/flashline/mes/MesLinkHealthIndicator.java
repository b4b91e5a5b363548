package com.flashline.mes;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code mesLink} in {@code /actuator/health}: UP while the broker is connected, DOWN (with the
 * reason) while it is not, with the backlog either way. Not part of the liveness or readiness
 * probes: the station keeps flashing and recording while MES is away, and catches up later.
 */
final class MesLinkHealthIndicator implements HealthIndicator {

    private final MqttAuditPublisher publisher;
    private final MesMqttProperties mqtt;

    MesLinkHealthIndicator(MqttAuditPublisher publisher, MesMqttProperties mqtt) {
        this.publisher = publisher;
        this.mqtt = mqtt;
    }

    @Override
    public Health health() {
        MqttAuditPublisher.LinkState state = publisher.state();
        Health.Builder builder = state.connected() ? Health.up() : Health.down();
        builder.withDetail("broker", mqtt.redactedUrl())
                .withDetail("topic", publisher.topic())
                .withDetail("acknowledgedSeq", state.position())
                .withDetail("backlog", state.backlog())
                .withDetail("oldestUndeliveredAgeSeconds", publisher.oldestUndeliveredAge().toSeconds());
        if (state.lastError() != null) {
            builder.withDetail("reason", state.lastError());
        }
        return builder.build();
    }
}
