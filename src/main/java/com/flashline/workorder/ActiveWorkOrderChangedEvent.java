package com.flashline.workorder;

/**
 * A station's active work order was replaced or closed; published inside the changing
 * transaction (listeners that act on it use {@code @TransactionalEventListener}).
 *
 * @param activeWorkOrderId the station's active work order now, or null
 */
public record ActiveWorkOrderChangedEvent(String stationId, Long activeWorkOrderId) {
}
