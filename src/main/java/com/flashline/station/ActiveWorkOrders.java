package com.flashline.station;

import java.util.Optional;

/**
 * Which work order is a station's active one. Work orders live in their own package, which builds
 * on this one; the station shows the answer ({@code GET /station}) without depending on it.
 */
public interface ActiveWorkOrders {

    /** The station's active work order (ACTIVE, or COMPLETE until another one is activated), if any. */
    Optional<Long> activeWorkOrderId(String stationId);
}
