package com.flashline.database;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code database} in {@code /actuator/health}: UP when {@link DatabaseGate}'s probe reaches the
 * database, DOWN with the driver's reason and since when otherwise. It replaces Spring Boot's
 * {@code db} check (disabled in application.yml), which asks the pool and would hold every health
 * request for the pool's connection timeout while the server is away.
 */
@Component("database")
class DatabaseHealthIndicator implements HealthIndicator {

    private final DatabaseGate gate;

    DatabaseHealthIndicator(DatabaseGate gate) {
        this.gate = gate;
    }

    @Override
    public Health health() {
        DatabaseGate.Status status = gate.status();
        if (status.up()) {
            return Health.up().withDetail("checkedAt", status.checkedAt().toString()).build();
        }
        return Health.down().withDetail("reason", status.error())
                .withDetail("downSince", String.valueOf(status.downSince()))
                .withDetail("checkedAt", status.checkedAt().toString()).build();
    }
}
