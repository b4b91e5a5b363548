package com.flashline.flashing;

import com.flashline.firmware.Segment;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The write plans of the images flashed most recently. A station flashes one image on every
 * board of a batch, and a plan holds a padded copy as large as the image that jobs only read:
 * built once, it is not copied again for each board (on a fixture of dozens of ports those copies
 * outlived the young generation and filled the old one).
 *
 * <p>Images are matched by the identity of their segment list, not by content: the callers keep
 * one parsed image per stored firmware, and hashing a segment's bytes is a pass over the whole
 * image on every job. Keys are weak, so a plan goes when its image is no longer used, and at most
 * {@value #CAPACITY} plans are kept.
 */
final class RecentWritePlans {

    static final int CAPACITY = 4;

    private record Entry(WeakReference<List<Segment>> segments, WritePlan plan) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    synchronized WritePlan of(List<Segment> segments) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            List<Segment> key = entry.segments().get();
            if (key == null) {
                it.remove();
            } else if (key == segments) {
                return entry.plan();
            }
        }
        WritePlan plan = WritePlan.of(segments);
        entries.addFirst(new Entry(new WeakReference<>(segments), plan));
        if (entries.size() > CAPACITY) {
            entries.removeLast();
        }
        return plan;
    }
}
