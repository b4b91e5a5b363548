package com.flashline.workorder;

/**
 * A station's active work order was replaced or closed; published after the change committed, on
 * the thread that made it, so that listeners may start transactions of their own (auto-start
 * queues the boards that waited).
 *
 * @param activeWorkOrderId the station's active work order now, or null
 */
public record ActiveWorkOrderChangedEvent(String stationId, Long activeWorkOrderId) {
}
