package com.flashline.device;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code deviceSources} in {@code /actuator/health}: UP when every configured source works, DOWN
 * with each source's reason otherwise (e.g. libusb missing). A station that cannot see its boards
 * cannot do its job, so monitoring should see DOWN; the liveness probe
 * ({@code /actuator/health/liveness}) does not include this check, so a supervisor does not
 * restart the service for it and the API, records and audit pull keep working.
 */
public final class DeviceSourcesHealthIndicator implements HealthIndicator {

    private final DeviceSources sources;

    public DeviceSourcesHealthIndicator(DeviceSources sources) {
        this.sources = sources;
    }

    @Override
    public Health health() {
        boolean allUp = true;
        Health.Builder builder = Health.up();
        for (DeviceSource source : sources.all()) {
            SourceHealth health = source.health();
            allUp &= health.up();
            java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
            detail.put("status", health.up() ? "UP" : "DOWN");
            detail.put(health.up() ? "detail" : "reason", health.detail());
            detail.putAll(health.facts());
            builder.withDetail(source.name(), detail);
        }
        return allUp ? builder.build() : builder.down().build();
    }
}
