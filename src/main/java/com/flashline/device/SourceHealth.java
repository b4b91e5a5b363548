package com.flashline.device;

import java.util.Map;

/** Whether a device source works, why not, and a few facts for {@code /actuator/health}. */
public record SourceHealth(boolean up, String detail, Map<String, Object> facts) {

    public SourceHealth {
        facts = Map.copyOf(facts);
    }

    public static SourceHealth up(String detail, Map<String, Object> facts) {
        return new SourceHealth(true, detail, facts);
    }

    public static SourceHealth down(String reason) {
        return new SourceHealth(false, reason, Map.of());
    }
}
