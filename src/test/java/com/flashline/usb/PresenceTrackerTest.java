package com.flashline.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceTrackerTest {

    private final List<String> events = new ArrayList<>();
    private final PresenceTracker<String> tracker = new PresenceTracker<>(new PresenceTracker.Sink<>() {
        @Override
        public void attached(String portPath, int address, String item) {
            events.add("attached " + portPath + " @" + address + " " + item);
        }

        @Override
        public void detached(String portPath, String item) {
            events.add("detached " + portPath + " " + item);
        }

        @Override
        public void duplicate(String item) {
            events.add("duplicate " + item);
        }
    });

    @Test
    void theSameAttachmentSeenTwiceIsReportedOnce() {
        tracker.seen("1-4", 5, "hotplug");
        tracker.seen("1-4", 5, "rescan");
        assertThat(events).containsExactly("attached 1-4 @5 hotplug", "duplicate rescan");
        assertThat(tracker.itemAt("1-4")).isEqualTo("hotplug");
    }

    @Test
    void aNewAddressOnAKnownPortIsAReEnumerationEvenWithoutALeftEvent() {
        tracker.seen("1-4", 5, "first");
        tracker.seen("1-4", 6, "second");
        assertThat(events).containsExactly("attached 1-4 @5 first", "detached 1-4 first", "attached 1-4 @6 second");
    }

    @Test
    void aLateLeftEventForAReplacedDeviceIsIgnored() {
        tracker.seen("1-4", 5, "first");
        tracker.seen("1-4", 6, "second");
        events.clear();
        tracker.left("1-4", 5);
        assertThat(events).isEmpty();
        tracker.left("1-4", 6);
        assertThat(events).containsExactly("detached 1-4 second");
        assertThat(tracker.portPaths()).isEmpty();
    }

    @Test
    void aRescanDetachesWhatIsMissingAndAttachesWhatIsNew() {
        tracker.seen("1-1", 2, "a");
        tracker.seen("1-2", 3, "b");
        tracker.seen("1-3", 4, "c");
        events.clear();

        tracker.rescanned(List.of(new PresenceTracker.Sighting<>("1-1", 2, "a'"),
                new PresenceTracker.Sighting<>("1-3", 9, "c'"), new PresenceTracker.Sighting<>("1-5", 7, "e")));

        assertThat(events).containsExactly("detached 1-2 b", "detached 1-3 c", "duplicate a'",
                "attached 1-3 @9 c'", "attached 1-5 @7 e");
        assertThat(tracker.portPaths()).containsExactlyInAnyOrder("1-1", "1-3", "1-5");
    }

    @Test
    void clearDetachesEverything() {
        tracker.seen("1-1", 2, "a");
        tracker.seen("2-1.3", 3, "b");
        events.clear();
        tracker.clear();
        assertThat(events).containsExactlyInAnyOrder("detached 1-1 a", "detached 2-1.3 b");
        assertThat(tracker.portPaths()).isEmpty();
    }
}
