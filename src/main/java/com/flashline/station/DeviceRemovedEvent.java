package com.flashline.station;

/** Published (synchronously, on the caller's thread) after {@link PortRegistry#deviceRemoved}. */
public record DeviceRemovedEvent(String path, Long currentJobId, Departure departure) {
}
