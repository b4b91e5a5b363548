package com.flashline.station;

/**
 * A port's runtime state or settings may have changed: published after each change, from the
 * thread that made it (a worker, the device watcher, a request), so listeners must not block.
 */
public record PortChangedEvent(String path) {
}
