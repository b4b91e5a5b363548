package com.flashline.firmware;

import static com.flashline.firmware.MalformedInputTest.lines;
import static com.flashline.firmware.MalformedInputTest.refused;
import static com.flashline.firmware.TestFirmwareWriters.hexRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * How records become segments, seen through Intel HEX files whose records come out of order:
 * runs that only touch after sorting are merged, identical overlaps keep the overhanging bytes,
 * and every byte keeps the line it came from so an overlap names the right two lines.
 */
class SegmentCollectorTest {

    private static final String EOF = ":00000001FF\n";

    private static FirmwareImage hex(FirmwareLimits limits, String... records) {
        return FirmwareReader.read(lines(records).concat(EOF).getBytes(StandardCharsets.US_ASCII), "t.hex",
                ReadOptions.defaults().withLimits(limits));
    }

    private static FirmwareImage hex(String... records) {
        return hex(FirmwareLimits.DEFAULT, records);
    }

    private static String at(int offset, int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        return hexRecord(0, offset, data);
    }

    @Test
    void aRunThatEndsWhereALaterOneStartsIsMergedAfterSorting() {
        FirmwareImage image = hex(at(0x04, 5, 6), at(0x00, 1, 2, 3, 4));
        assertThat(image.segments()).containsExactly(new Segment(0, new byte[] {1, 2, 3, 4, 5, 6}));
    }

    @Test
    void aRecordContinuingAnEarlierRunIsAppendedToIt() {
        FirmwareImage image = hex(at(0x00, 1, 2), at(0x10, 9), at(0x02, 3, 4), at(0x11, 10));
        assertThat(image.segments()).containsExactly(new Segment(0, new byte[] {1, 2, 3, 4}),
                new Segment(0x10, new byte[] {9, 10}));
    }

    @Test
    void anIdenticalOverlapKeepsTheBytesThatOverhang() {
        FirmwareImage image = hex(at(0x00, 1, 2, 3, 4), at(0x02, 3, 4, 5, 6));
        assertThat(image.segments()).containsExactly(new Segment(0, new byte[] {1, 2, 3, 4, 5, 6}));
    }

    @Test
    void bytesTakenFromAnOverhangStillNameTheirOwnLine() {
        // Byte 0x05 reaches the merged run from line 2's overhang; line 3 agrees at 0x03-0x04, differs at 0x05.
        refused(() -> hex(at(0x00, 1, 2, 3, 4), at(0x02, 3, 4, 5, 6), at(0x03, 4, 5, 9)), FirmwareErrorCode.OVERLAP,
                "line 3:", "data at 0x00000005 from line 3 overlaps data at the same address from line 2 with different data");
    }

    @Test
    void anOverlapInsideALongRunNamesTheRecordThatHeldTheByte() {
        refused(() -> hex(at(0x00, 1, 2), at(0x02, 3, 4), at(0x04, 5, 6), at(0x06, 7, 8), at(0x08, 9, 10),
                at(0x07, 8, 0)), FirmwareErrorCode.OVERLAP,
                "data at 0x00000008 from line 6 overlaps data at the same address from line 5 with different data");
    }

    @Test
    void aRunOfSeveralRecordsMergedAfterSortingKeepsEachRecordsLine() {
        // Lines 1-2 form one run at 0x04; line 3 precedes it; line 4 contradicts line 2's byte at 0x07.
        assertThat(hex(at(0x04, 5, 6), at(0x06, 7, 8), at(0x00, 1, 2, 3, 4)).segments())
                .containsExactly(new Segment(0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        refused(() -> hex(at(0x04, 5, 6), at(0x06, 7, 8), at(0x00, 1, 2, 3, 4), at(0x07, 9)),
                FirmwareErrorCode.OVERLAP,
                "data at 0x00000007 from line 4 overlaps data at the same address from line 2 with different data");
    }

    @Test
    void anIdenticalRecordThatAddsNothingIsNotNamedForLaterBytes() {
        // Line 3 repeats bytes already there; the byte at 0x04 that line 1 contradicts came from line 4.
        refused(() -> hex(at(0x04, 5, 6), at(0x00, 1, 2, 3, 4), at(0x02, 3, 4), at(0x03, 4, 9)),
                FirmwareErrorCode.OVERLAP,
                "data at 0x00000004 from line 1 overlaps data at the same address from line 4 with different data");
    }

    @Test
    void theImageMayHoldExactlyMaxImageBytes() {
        FirmwareLimits four = new FirmwareLimits(1 << 20, 4, 10);
        assertThat(hex(four, at(0x00, 1, 2), at(0x10, 3, 4)).totalSize()).isEqualTo(4);
        refused(() -> hex(four, at(0x00, 1, 2), at(0x10, 3, 4, 5)), FirmwareErrorCode.LIMIT, "line 2:",
                "image has more than 4 data bytes (FirmwareLimits.maxImageBytes)");
    }

    @Test
    void theImageMayHoldExactlyMaxSegmentsRuns() {
        FirmwareLimits two = new FirmwareLimits(1 << 20, 100, 2);
        assertThat(hex(two, at(0x00, 1), at(0x10, 2), at(0x01, 3)).segments()).hasSize(2);
        refused(() -> hex(two, at(0x00, 1), at(0x10, 2), at(0x20, 3)), FirmwareErrorCode.LIMIT, "line 3:",
                "image has more than 2 discontiguous runs of data (FirmwareLimits.maxSegments)");
    }
}
