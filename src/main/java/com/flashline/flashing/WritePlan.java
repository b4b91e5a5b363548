package com.flashline.flashing;

import com.flashline.dfu.Sector;
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

    /**
     * This plan without the bytes that lie in {@code skipped} (sorted, disjoint ranges such as
     * sectors that already hold their part of the image); runs are cut at the range edges. Sector
     * edges are multiples of {@link #PROGRAM_ALIGNMENT}, so every piece still covers whole units.
     */
    WritePlan without(List<Sector> skipped) {
        if (skipped.isEmpty()) {
            return this;
        }
        List<Run> kept = new ArrayList<>();
        for (Run run : runs) {
            long at = run.address();
            for (Sector skip : skipped) {
                if (skip.end() <= at || skip.start() >= run.end()) {
                    continue;
                }
                if (skip.start() > at) {
                    kept.add(slice(run, at, skip.start()));
                }
                at = Math.max(at, skip.end());
            }
            if (at < run.end()) {
                kept.add(at == run.address() ? run : slice(run, at, run.end()));
            }
        }
        long total = kept.stream().mapToLong(Run::length).sum();
        int longest = kept.stream().mapToInt(Run::length).max().orElse(0);
        return new WritePlan(kept, total, longest);
    }

    private static Run slice(Run run, long from, long to) {
        int offset = (int) (from - run.address());
        return new Run(from, Arrays.copyOfRange(run.data(), offset, offset + (int) (to - from)));
    }

    /**
     * Whether {@code data}, read from flash at {@code address}, is what the flash holds once the plan
     * is written on erased flash: the run bytes where a run lies, 0xFF everywhere else.
     */
    boolean flashMatches(long address, byte[] data, int offset, int length) {
        long end = address + length;
        long at = address;
        for (Run run : runs) {
            if (run.end() <= at) {
                continue;
            }
            if (run.address() >= end) {
                break;
            }
            if (run.address() > at && !isErased(data, offset + (int) (at - address), (int) (run.address() - at))) {
                return false;
            }
            long from = Math.max(at, run.address());
            long to = Math.min(end, run.end());
            int inRun = (int) (from - run.address());
            int inData = offset + (int) (from - address);
            if (Arrays.mismatch(run.data(), inRun, inRun + (int) (to - from), data, inData, inData + (int) (to - from))
                    >= 0) {
                return false;
            }
            at = to;
        }
        return at >= end || isErased(data, offset + (int) (at - address), (int) (end - at));
    }

    private static final byte[] ERASED = erasedBytes(4096);

    private static byte[] erasedBytes(int length) {
        byte[] erased = new byte[length];
        Arrays.fill(erased, (byte) 0xFF);
        return erased;
    }

    /** Whether every byte of the range is 0xFF, the value of erased STM32 flash. */
    static boolean isErased(byte[] data, int offset, int length) {
        for (int done = 0; done < length; done += ERASED.length) {
            int n = Math.min(ERASED.length, length - done);
            if (Arrays.mismatch(data, offset + done, offset + done + n, ERASED, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }

    static long alignDown(long address, int alignment) {
        return address - Math.floorMod(address, alignment);
    }

    static long alignUp(long address, int alignment) {
        return alignDown(address + alignment - 1, alignment);
    }
}
