package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.firmware.Segment;
import com.flashline.testsupport.RandomCases;
import com.flashline.testsupport.SeededTest;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class WritePlanTest {

    private static final long FLASH = 0x0800_0000L;

    @Test
    void widensASegmentToWholeProgramUnitsWithErasedBytes() {
        WritePlan plan = WritePlan.of(List.of(new Segment(FLASH + 3, new byte[] {1, 2, 3})), 8);

        assertThat(plan.runs()).singleElement().satisfies(run -> {
            assertThat(run.address()).isEqualTo(FLASH);
            assertThat(run.data()).containsExactly(0xFF, 0xFF, 0xFF, 1, 2, 3, 0xFF, 0xFF);
        });
        assertThat(plan.totalBytes()).isEqualTo(8);
    }

    @Test
    void mergesSegmentsWhosePaddedRangesTouchAndKeepsDistantOnesApart() {
        WritePlan plan = WritePlan.of(List.of(
                new Segment(FLASH + 2, new byte[] {1, 2}),
                new Segment(FLASH + 9, new byte[] {3}),       // shares the unit [8, 16) with nothing else
                new Segment(FLASH + 16, new byte[] {4, 5}),   // touches [8, 16) after padding
                new Segment(FLASH + 64, new byte[] {6, 7, 8, 9, 10, 11, 12, 13})), 8);

        assertThat(plan.runs()).hasSize(2);
        assertThat(plan.runs().get(0).address()).isEqualTo(FLASH);
        assertThat(plan.runs().get(0).data()).containsExactly(
                0xFF, 0xFF, 1, 2, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                4, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
        assertThat(plan.runs().get(1).address()).isEqualTo(FLASH + 64);
        assertThat(plan.runs().get(1).data()).containsExactly(6, 7, 8, 9, 10, 11, 12, 13);
        assertThat(plan.longestRun()).isEqualTo(24);
    }

    @SeededTest(tries = 200)
    void runsAreAlignedDisjointNotTouchingAndCarryEverySegmentByte(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int alignment = RandomCases.oneOf(random, 1, 2, 8, 32);
        List<Segment> segments = new ArrayList<>();
        long at = FLASH + RandomCases.intBetween(random, 0, 40);
        for (int i = RandomCases.intBetween(random, 1, 8); i > 0; i--) {
            byte[] data = RandomCases.bytes(random, 1, 70);
            segments.add(new Segment(at, data));
            at += data.length + RandomCases.intBetween(random, 0, 70);
        }

        WritePlan plan = WritePlan.of(segments, alignment);

        for (int i = 0; i < plan.runs().size(); i++) {
            WritePlan.Run run = plan.runs().get(i);
            assertThat(run.address() % alignment).isZero();
            assertThat(run.length() % alignment).isZero();
            if (i > 0) {
                assertThat(run.address()).isGreaterThan(plan.runs().get(i - 1).end());
            }
        }
        for (Segment s : segments) {
            WritePlan.Run run = plan.runs().stream().filter(r -> r.address() <= s.address() && s.end() <= r.end())
                    .findFirst().orElseThrow();
            for (int i = 0; i < s.length(); i++) {
                assertThat(run.data()[(int) (s.address() - run.address()) + i]).isEqualTo(s.data()[i]);
            }
        }
        long covered = segments.stream().mapToLong(Segment::length).sum();
        long padding = plan.totalBytes() - covered;
        assertThat(padding).isBetween(0L, (long) segments.size() * 2 * (alignment - 1) + 70L * segments.size());
    }
}
