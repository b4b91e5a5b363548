package com.flashline.station;

/** Published (synchronously, on the caller's thread) after {@link PortRegistry#deviceArrived}. */
public record DeviceArrivedEvent(String path, DeviceSnapshot device) {
}
