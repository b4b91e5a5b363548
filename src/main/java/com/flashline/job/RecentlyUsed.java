package com.flashline.job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is kept of finished jobs, by job id: at most {@code capacity} entries, the least recently
 * read or written dropped first. Safe for concurrent use; each call holds the lock only for itself.
 */
final class RecentlyUsed<V> {

    private final Map<Long, V> entries;

    RecentlyUsed(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The entry of {@code jobId}, now the most recently used; null when none is kept. */
    synchronized V get(long jobId) {
        return entries.get(jobId);
    }

    synchronized void put(long jobId, V value) {
        entries.put(jobId, value);
    }

    synchronized int size() {
        return entries.size();
    }
}
