package com.flashline.station;

import java.time.Instant;

/**
 * Runtime state of one port.
 *
 * @param reason why the port is in this state (e.g. the error code of a failed job), or null
 * @param device the attached device, or null
 * @param since  when the state last changed
 */
public record PortStatus(String path, PortState state, String reason, DeviceSnapshot device, Long currentJobId,
        Long lastJobId, Instant since) {

    static PortStatus empty(String path, Instant now) {
        return new PortStatus(path, PortState.EMPTY, null, null, null, null, now);
    }
}
