package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.firmware.Segment;
import com.flashline.support.RandomCases;
import com.flashline.support.SeededTest;
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

    @Test
    void withoutCutsRunsAtTheSkippedSectorsAndKeepsTheRest() {
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        WritePlan plan = WritePlan.of(List.of(new Segment(FLASH, data)), 4);

        WritePlan cut = plan.without(List.of(new com.flashline.dfu.Sector(FLASH + 100, 100, 7)));

        assertThat(cut.runs()).hasSize(2);
        assertThat(cut.runs().get(0).address()).isEqualTo(FLASH);
        assertThat(cut.runs().get(0).data()).isEqualTo(java.util.Arrays.copyOfRange(data, 0, 100));
        assertThat(cut.runs().get(1).address()).isEqualTo(FLASH + 200);
        assertThat(cut.runs().get(1).data()).isEqualTo(java.util.Arrays.copyOfRange(data, 200, 300));
        assertThat(cut.totalBytes()).isEqualTo(200);
        assertThat(plan.without(List.of())).isSameAs(plan);
    }

    @Test
    void flashMatchesWhenRunBytesAreThereAndEverythingElseIsErased() {
        WritePlan plan = WritePlan.of(List.of(new Segment(FLASH + 8, new byte[] {1, 2, 3, 4, 5, 6, 7, 8})), 8);
        byte[] flash = new byte[32];
        java.util.Arrays.fill(flash, (byte) 0xFF);
        System.arraycopy(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, flash, 8, 8);

        assertThat(plan.flashMatches(FLASH, flash, 0, 32)).isTrue();
        assertThat(plan.flashMatches(FLASH + 10, flash, 10, 4)).isTrue();
        flash[30] = 0x7F;
        assertThat(plan.flashMatches(FLASH, flash, 0, 32)).isFalse();
        assertThat(plan.flashMatches(FLASH, flash, 0, 30)).isTrue();
        flash[9] = 0;
        assertThat(plan.flashMatches(FLASH, flash, 0, 16)).isFalse();
    }

    @Test
    void isErasedLooksAtEveryByteOfTheRange() {
        byte[] bytes = new byte[10_000];
        java.util.Arrays.fill(bytes, (byte) 0xFF);
        assertThat(WritePlan.isErased(bytes, 0, bytes.length)).isTrue();
        bytes[9_999] = (byte) 0xFE;
        assertThat(WritePlan.isErased(bytes, 0, bytes.length)).isFalse();
        assertThat(WritePlan.isErased(bytes, 0, 9_999)).isTrue();
    }

    @Test
    void flashDoesNotMatchWhenAByteBetweenOrBeforeTheRunsIsNotErased() {
        WritePlan plan = WritePlan.of(List.of(new Segment(FLASH + 8, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                new Segment(FLASH + 24, new byte[] {9, 9, 9, 9, 9, 9, 9, 9})), 8);
        byte[] flash = new byte[40];
        java.util.Arrays.fill(flash, (byte) 0xFF);
        System.arraycopy(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, flash, 8, 8);
        System.arraycopy(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, 0, flash, 24, 8);
        assertThat(plan.runs()).hasSize(2);
        assertThat(plan.flashMatches(FLASH, flash, 0, 40)).isTrue();

        flash[20] = 0x00;
        assertThat(plan.flashMatches(FLASH, flash, 0, 40)).as("between the runs").isFalse();
        flash[20] = (byte) 0xFF;
        flash[3] = 0x00;
        assertThat(plan.flashMatches(FLASH, flash, 0, 40)).as("before the first run").isFalse();
        assertThat(plan.flashMatches(FLASH + 8, flash, 8, 32)).isTrue();
    }

    @Test
    void withoutLeavesNoEmptyPieceWhereASkippedRangeStartsOrEndsWithARun() {
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        WritePlan plan = WritePlan.of(List.of(new Segment(FLASH, data)), 4);

        WritePlan head = plan.without(List.of(new com.flashline.dfu.Sector(FLASH, 100, 7)));
        WritePlan tail = plan.without(List.of(new com.flashline.dfu.Sector(FLASH + 200, 100, 7)));

        assertThat(head.runs()).singleElement().satisfies(run -> {
            assertThat(run.address()).isEqualTo(FLASH + 100);
            assertThat(run.data()).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 300));
        });
        assertThat(tail.runs()).singleElement().satisfies(run -> {
            assertThat(run.address()).isEqualTo(FLASH);
            assertThat(run.data()).isEqualTo(java.util.Arrays.copyOfRange(data, 0, 200));
        });
        assertThat(head.longestRun()).isEqualTo(200);
    }

    @Test
    void aRunOverlapsOnlyRangesThatShareAByteWithIt() {
        WritePlan.Run run = new WritePlan.Run(FLASH + 32, new byte[32]);

        assertThat(run.overlaps(FLASH, FLASH + 32)).isFalse();
        assertThat(run.overlaps(FLASH + 64, FLASH + 96)).isFalse();
        assertThat(run.overlaps(FLASH, FLASH + 33)).isTrue();
        assertThat(run.overlaps(FLASH + 63, FLASH + 96)).isTrue();
    }
}
