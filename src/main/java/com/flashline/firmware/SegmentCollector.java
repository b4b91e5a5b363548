package com.flashline.firmware;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Gathers records into runs of contiguous bytes while a file is read, then sorts, checks for
 * overlaps and merges them into {@link Segment}s.
 *
 * <p>Each run remembers which record (line or file offset) every byte came from, so an overlap
 * error can name both places. Records that continue a run are appended in place; that is the
 * common case for every real tool and costs one array copy per record. Identical overlapping
 * data is accepted and kept once (some tools repeat records when concatenating files); different
 * data at the same address is an {@link FirmwareErrorCode#OVERLAP} error.
 */
final class SegmentCollector {

    static final int NO_ALT = -1;
    private static final long ADDRESS_SPACE = 0x1_0000_0000L;

    private final FirmwareFormat format;
    private final FirmwareLimits limits;
    private final boolean locationsAreLines;
    private final List<Run> runs = new ArrayList<>();
    /** Runs we left, keyed by (end address, alt), so a record that continues one finds it. */
    private final Map<Long, Run> runsByEnd = new HashMap<>();
    private Run current;
    private long totalBytes;

    SegmentCollector(FirmwareFormat format, FirmwareLimits limits, boolean locationsAreLines) {
        this.format = format;
        this.limits = limits;
        this.locationsAreLines = locationsAreLines;
    }

    void add(long address, byte[] source, int sourceOffset, int length, int location) {
        add(address, source, sourceOffset, length, location, NO_ALT);
    }

    void add(long address, byte[] source, int sourceOffset, int length, int location, int alt) {
        if (length == 0) {
            return;
        }
        if (address < 0 || address + length > ADDRESS_SPACE) {
            throw error(FirmwareErrorCode.ADDRESS_RANGE, location, String.format(
                    "%d bytes at 0x%X run past the end of the 32-bit address space", length, address));
        }
        totalBytes += length;
        if (totalBytes > limits.maxImageBytes()) {
            throw error(FirmwareErrorCode.LIMIT, location, "image has more than " + limits.maxImageBytes()
                    + " data bytes (FirmwareLimits.maxImageBytes)");
        }
        Run run = current;
        if (run == null || run.alt != alt || run.end() != address) {
            if (run != null) {
                runsByEnd.put(key(run.end(), run.alt), run);
            }
            run = runsByEnd.remove(key(address, alt));
            if (run == null) {
                if (runs.size() >= limits.maxSegments()) {
                    throw error(FirmwareErrorCode.LIMIT, location, "image has more than " + limits.maxSegments()
                            + " discontiguous runs of data (FirmwareLimits.maxSegments)");
                }
                run = new Run(address, alt, length);
                runs.add(run);
            }
            current = run;
        }
        run.append(source, sourceOffset, length, location);
    }

    private static long key(long end, int alt) {
        return (end << 9) | (alt & 0x1FF);
    }

    List<Segment> finish() {
        runs.sort(Comparator.comparingLong((Run r) -> r.start).thenComparingInt(r -> r.alt));
        List<Segment> segments = new ArrayList<>();
        Run merged = null;
        for (Run run : runs) {
            if (merged == null || run.start > merged.end() || (run.start == merged.end() && run.alt != merged.alt)) {
                if (merged != null) {
                    segments.add(merged.toSegment());
                }
                merged = run;
            } else if (run.start == merged.end()) {
                merged.appendRun(run, 0);
            } else {
                checkOverlap(merged, run);
                long overhang = run.end() - merged.end();
                if (overhang > 0) {
                    merged.appendRun(run, (int) (run.length - overhang));
                }
            }
        }
        if (merged != null) {
            segments.add(merged.toSegment());
        }
        return segments;
    }

    private void checkOverlap(Run earlier, Run later) {
        int overlap = (int) (Math.min(earlier.end(), later.end()) - later.start);
        int earlierOffset = (int) (later.start - earlier.start);
        int mismatch = Arrays.mismatch(earlier.data, earlierOffset, earlierOffset + overlap, later.data, 0, overlap);
        if (mismatch < 0 && earlier.alt == later.alt) {
            return;
        }
        int at = Math.max(mismatch, 0);
        long address = later.start + at;
        int laterLocation = later.locationOf(at);
        int earlierLocation = earlier.locationOf(earlierOffset + at);
        String why = mismatch < 0 ? "for another DfuSe alternate setting" : "with different data";
        throw error(FirmwareErrorCode.OVERLAP, laterLocation, String.format(
                "data at 0x%08X from %s overlaps data at the same address from %s %s",
                address, where(laterLocation), where(earlierLocation), why));
    }

    private String where(int location) {
        return locationsAreLines ? "line " + location
                : "offset " + location + " (0x" + Integer.toHexString(location) + ")";
    }

    private FirmwareFormatException error(FirmwareErrorCode code, int location, String detail) {
        return locationsAreLines ? FirmwareFormatException.atLine(code, format, location, detail)
                : FirmwareFormatException.atOffset(code, format, location, detail);
    }

    /** Contiguous bytes plus, per record, where in the run it starts and where in the file it was. */
    private static final class Run {
        final long start;
        final int alt;
        byte[] data;
        int length;
        int[] recordStarts = new int[4];
        int[] recordLocations = new int[4];
        int records;

        Run(long start, int alt, int initialCapacity) {
            this.start = start;
            this.alt = alt;
            this.data = new byte[Math.max(initialCapacity, 64)];
        }

        long end() {
            return start + length;
        }

        void append(byte[] source, int offset, int count, int location) {
            if (records == recordStarts.length) {
                recordStarts = Arrays.copyOf(recordStarts, records * 2);
                recordLocations = Arrays.copyOf(recordLocations, records * 2);
            }
            recordStarts[records] = length;
            recordLocations[records] = location;
            records++;
            ensureCapacity(length + count);
            System.arraycopy(source, offset, data, length, count);
            length += count;
        }

        /** Appends {@code other}'s bytes from {@code from} on, keeping their record locations. */
        void appendRun(Run other, int from) {
            int first = other.recordIndexOf(from);
            for (int r = first; r < other.records; r++) {
                int recordStart = Math.max(other.recordStarts[r], from);
                int recordEnd = r + 1 < other.records ? other.recordStarts[r + 1] : other.length;
                append(other.data, recordStart, recordEnd - recordStart, other.recordLocations[r]);
            }
        }

        private void ensureCapacity(int needed) {
            if (needed > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * data.length)));
            }
        }

        int recordIndexOf(int offset) {
            int index = Arrays.binarySearch(recordStarts, 0, records, offset);
            return index >= 0 ? index : -index - 2;
        }

        int locationOf(int offset) {
            return recordLocations[recordIndexOf(offset)];
        }

        Segment toSegment() {
            OptionalInt alternate = alt == NO_ALT ? OptionalInt.empty() : OptionalInt.of(alt);
            return new Segment(start, length == data.length ? data : Arrays.copyOf(data, length), alternate);
        }
    }
}
