package com.flashline.flashing;

import com.flashline.firmware.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The contiguous runs the pipeline writes: every segment widened with 0xFF to whole program units
 * ({@link #PROGRAM_ALIGNMENT} bytes), and runs that then touch or overlap merged into one. STM32L4/G4
 * program double-words and F1/F0 half-words: a unit programmed twice (once per neighbouring
 * segment) fails with errPROG on those parts, so no unit may be split between two writes. 0xFF
 * padding leaves erased flash as it is, so the widening is harmless where the unit is one byte.
 */
record WritePlan(List<Run> runs, long totalBytes, int longestRun) {

    /**
     * The widest program unit of the families in the catalogue: the H7's 256-bit flash word. The
     * L4/G4 double-word and the F1/F0 half-word divide it, so one alignment serves every family,
     * including ones the catalogue does not know.
     */
    static final int PROGRAM_ALIGNMENT = 32;

    /** One write: {@code data} lands at {@code address}. The array is owned by the plan. */
    record Run(long address, byte[] data) {
        long end() {
            return address + data.length;
        }

        int length() {
            return data.length;
        }

        boolean overlaps(long start, long endExclusive) {
            return start < end() && address < endExclusive;
        }
    }

    WritePlan {
        runs = List.copyOf(runs);
    }

    static WritePlan of(List<Segment> segments) {
        return of(segments, PROGRAM_ALIGNMENT);
    }

    /** Segments must be sorted and disjoint (as a {@link com.flashline.firmware.FirmwareImage} keeps them). */
    static WritePlan of(List<Segment> segments, int alignment) {
        List<Run> runs = new ArrayList<>();
        int i = 0;
        while (i < segments.size()) {
            long start = alignDown(segments.get(i).address(), alignment);
            long end = alignUp(segments.get(i).end(), alignment);
            int j = i + 1;
            while (j < segments.size() && alignDown(segments.get(j).address(), alignment) <= end) {
                end = Math.max(end, alignUp(segments.get(j).end(), alignment));
                j++;
            }
            byte[] data = new byte[Math.toIntExact(end - start)];
            Arrays.fill(data, (byte) 0xFF);
            for (int k = i; k < j; k++) {
                Segment s = segments.get(k);
                s.buffer().get(data, (int) (s.address() - start), s.length());
            }
            runs.add(new Run(start, data));
            i = j;
        }
        long total = runs.stream().mapToLong(Run::length).sum();
        int longest = runs.stream().mapToInt(Run::length).max().orElse(0);
        return new WritePlan(runs, total, longest);
    }

    /** A single record padded the same way (the serial record). */
    static Run padded(long address, byte[] bytes, int alignment) {
        long start = alignDown(address, alignment);
        long end = alignUp(address + bytes.length, alignment);
        byte[] data = new byte[Math.toIntExact(end - start)];
        Arrays.fill(data, (byte) 0xFF);
        System.arraycopy(bytes, 0, data, (int) (address - start), bytes.length);
        return new Run(start, data);
    }

    boolean overlaps(long start, long endExclusive) {
        return runs.stream().anyMatch(r -> r.overlaps(start, endExclusive));
    }

    static long alignDown(long address, int alignment) {
        return address - Math.floorMod(address, alignment);
    }

    static long alignUp(long address, int alignment) {
        return alignDown(address + alignment - 1, alignment);
    }
}
