package com.flashline.station;

import java.time.Instant;

/**
 * One port as {@code GET /api/v1/ports} shows it: configuration merged with runtime state.
 *
 * @param recipeId the recipe a job on this port uses: the port's own, else the station default
 * @param device   {usbSerial, uid} of the attached device, or null
 */
public record PortView(String path, String label, Long recipeId, PortState state, String reason, Device device,
        Long currentJobId, Long lastJobId, Instant since) {

    public record Device(String usbSerial, String uid) {
    }
}
