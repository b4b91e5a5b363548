package com.flashline.usb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which device sits on which port, fed by hotplug events and rescans that may report the same
 * device several times. A port path with the same device address is the same attachment; the same
 * port path with a new address is a re-enumeration (the old attachment left, a new one arrived),
 * even when the "left" event was never seen. Not thread-safe: the watcher feeds it from its single
 * dispatch thread.
 *
 * @param <T> what the caller keeps per attachment
 */
final class PresenceTracker<T> {

    /** Told what changed; every item handed in ends in exactly one of these calls. */
    interface Sink<T> {
        void attached(String portPath, int address, T item);

        void detached(String portPath, T item);

        /** The item duplicates a known attachment; the caller drops it. */
        void duplicate(T item);
    }

    /** One device seen during a rescan. */
    record Sighting<T>(String portPath, int address, T item) {
    }

    private record Attachment<T>(int address, T item) {
    }

    private final Map<String, Attachment<T>> attachments = new HashMap<>();
    private final Sink<T> sink;

    PresenceTracker(Sink<T> sink) {
        this.sink = sink;
    }

    void seen(String portPath, int address, T item) {
        Attachment<T> known = attachments.get(portPath);
        if (known != null && known.address() == address) {
            sink.duplicate(item);
            return;
        }
        if (known != null) {
            attachments.remove(portPath);
            sink.detached(portPath, known.item());
        }
        attachments.put(portPath, new Attachment<>(address, item));
        sink.attached(portPath, address, item);
    }

    /** A device left. An event for an address no longer on that port (already replaced) is ignored. */
    void left(String portPath, int address) {
        Attachment<T> known = attachments.get(portPath);
        if (known != null && known.address() == address) {
            attachments.remove(portPath);
            sink.detached(portPath, known.item());
        }
    }

    /** A full picture of the bus: attachments not in it have left, sightings not yet known arrived. */
    void rescanned(List<Sighting<T>> present) {
        Set<String> stillThere = new HashSet<>();
        for (Sighting<T> s : present) {
            Attachment<T> known = attachments.get(s.portPath());
            if (known != null && known.address() == s.address()) {
                stillThere.add(s.portPath());
            }
        }
        for (String portPath : new ArrayList<>(attachments.keySet())) {
            if (!stillThere.contains(portPath)) {
                sink.detached(portPath, attachments.remove(portPath).item());
            }
        }
        for (Sighting<T> s : present) {
            seen(s.portPath(), s.address(), s.item());
        }
    }

    /** Forgets everything, detaching each attachment. */
    void clear() {
        for (String portPath : new ArrayList<>(attachments.keySet())) {
            sink.detached(portPath, attachments.remove(portPath).item());
        }
    }

    T itemAt(String portPath) {
        Attachment<T> known = attachments.get(portPath);
        return known == null ? null : known.item();
    }

    Set<String> portPaths() {
        return Set.copyOf(attachments.keySet());
    }
}
