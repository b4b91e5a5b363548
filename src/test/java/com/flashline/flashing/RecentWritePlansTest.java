package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.firmware.Segment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentWritePlansTest {

    private final RecentWritePlans plans = new RecentWritePlans();

    @Test
    void theSameImageGetsTheSamePlan() {
        List<Segment> image = List.of(new Segment(0x0800_0000L, new byte[] {1, 2, 3}));

        WritePlan first = plans.of(image);

        assertThat(plans.of(image)).isSameAs(first);
        assertThat(first.runs()).singleElement().satisfies(run -> {
            assertThat(run.address()).isEqualTo(0x0800_0000L);
            assertThat(run.data()).hasSize(WritePlan.PROGRAM_ALIGNMENT).startsWith(1, 2, 3);
        });
    }

    @Test
    void anotherImageWithTheSameBytesGetsItsOwnEqualPlan() {
        List<Segment> image = List.of(new Segment(0x0800_0000L, new byte[] {1, 2, 3}));
        List<Segment> copy = List.of(new Segment(0x0800_0000L, new byte[] {1, 2, 3}));

        WritePlan plan = plans.of(image);
        WritePlan other = plans.of(copy);

        assertThat(other).isNotSameAs(plan);
        assertThat(other.runs().get(0).data()).isEqualTo(plan.runs().get(0).data());
    }

    @Test
    void onlyTheMostRecentImagesAreKept() {
        List<List<Segment>> images = new ArrayList<>();
        List<WritePlan> built = new ArrayList<>();
        for (int i = 0; i <= RecentWritePlans.CAPACITY; i++) {
            images.add(List.of(new Segment(0x0800_0000L + 0x100L * i, new byte[] {(byte) i})));
            built.add(plans.of(images.get(i)));
        }

        assertThat(plans.of(images.get(RecentWritePlans.CAPACITY))).isSameAs(built.get(RecentWritePlans.CAPACITY));
        assertThat(plans.of(images.get(0))).as("the oldest was dropped and is built again")
                .isNotSameAs(built.get(0))
                .satisfies(plan -> assertThat(plan.runs().get(0).address()).isEqualTo(0x0800_0000L));
    }

    @Test
    void asManyImagesAsTheCapacityAreAllKept() {
        List<List<Segment>> images = new ArrayList<>();
        List<WritePlan> built = new ArrayList<>();
        for (int i = 0; i < RecentWritePlans.CAPACITY; i++) {
            images.add(List.of(new Segment(0x0800_0000L + 0x100L * i, new byte[] {(byte) i})));
            built.add(plans.of(images.get(i)));
        }

        for (int i = 0; i < RecentWritePlans.CAPACITY; i++) {
            assertThat(plans.of(images.get(i))).as("image %d", i).isSameAs(built.get(i));
        }
    }
}
