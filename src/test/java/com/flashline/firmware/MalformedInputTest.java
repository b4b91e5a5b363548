package com.flashline.firmware;

import static com.flashline.firmware.TestFirmwareWriters.hexRecord;
import static com.flashline.firmware.TestFirmwareWriters.srecRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Broken files must be refused with a stable code and a message that points at the fault. */
class MalformedInputTest {

    private static final String EOF = ":00000001FF\n";

    static FirmwareImage read(String text) {
        return FirmwareReader.read(text.getBytes(StandardCharsets.US_ASCII), "t", ReadOptions.defaults());
    }

    static FirmwareImage read(byte[] content) {
        return FirmwareReader.read(content, "t", ReadOptions.defaults().withBaseAddress(0x0800_0000L));
    }

    static FirmwareFormatException refused(ThrowingCallable call, FirmwareErrorCode code, String... fragments) {
        var thrown = assertThatThrownBy(call).asInstanceOf(type(FirmwareFormatException.class));
        thrown.extracting(FirmwareFormatException::code).isEqualTo(code);
        thrown.extracting(Throwable::getMessage).asString().contains(fragments);
        try {
            call.call();
        } catch (Throwable t) {
            return (FirmwareFormatException) t;
        }
        throw new AssertionError("unreachable");
    }

    static String lines(String... records) {
        return String.join("", records);
    }

    static final String DATA_0 = hexRecord(0, 0x0000, (byte) 1, (byte) 2, (byte) 3, (byte) 4);
    static final String DATA_4 = hexRecord(0, 0x0004, (byte) 5, (byte) 6);
    static final String UPPER_0800 = hexRecord(4, 0, (byte) 0x08, (byte) 0x00);

    @Nested
    class IntelHex {

        @Test
        void badChecksumNamesTheLineAndTheExpectedValue() {
            String bad = DATA_4.replace("5\n", "6\n").substring(0, DATA_4.length() - 3) + "00\n";
            refused(() -> read(lines(UPPER_0800, DATA_0, bad, EOF)), FirmwareErrorCode.HEX_CHECKSUM,
                    "Intel HEX line 3:", "checksum is 0x00");
        }

        @Test
        void truncatedRecord() {
            String cut = DATA_0.substring(0, 12) + "\n";
            var e = refused(() -> read(lines(UPPER_0800, cut, EOF)), FirmwareErrorCode.HEX_LENGTH, "line 2:",
                    "declares 4 data bytes");
            assertThat(e.line()).hasValue(2);
            assertThat(e.format()).hasValue(FirmwareFormat.INTEL_HEX);
        }

        @Test
        void unknownRecordType() {
            refused(() -> read(lines(DATA_0, hexRecord(6, 0, (byte) 0), EOF)), FirmwareErrorCode.HEX_RECORD_TYPE,
                    "line 2:", "unknown record type 0x06");
        }

        @Test
        void nonHexCharacter() {
            refused(() -> read(lines(DATA_0.replace(":04", ":0G"), EOF)), FirmwareErrorCode.HEX_SYNTAX,
                    "line 1:", "'G' at column 3");
        }

        @Test
        void recordNotStartingWithColon() {
            refused(() -> read(lines(DATA_0, "x" + DATA_4, EOF)), FirmwareErrorCode.HEX_SYNTAX, "line 2:", "'x'");
        }

        @Test
        void missingEndOfFileRecord() {
            refused(() -> read(lines(DATA_0, DATA_4)), FirmwareErrorCode.HEX_EOF_MISSING, "line 2:");
        }

        @Test
        void missingEndOfFileRecordIsReportedAtTheLastLineBlankOnesIncluded() {
            refused(() -> read(lines(DATA_0, DATA_4, "\n \n")), FirmwareErrorCode.HEX_EOF_MISSING, "line 4:");
        }

        @Test
        void onlyWhitespaceMayFollowTheEndOfFileRecord() {
            assertThat(read(lines(DATA_0, EOF, "\n  \r\n\t\n")).totalSize()).isEqualTo(4);
            refused(() -> read(lines(DATA_0, EOF, "\n\n", DATA_4)), FirmwareErrorCode.HEX_TRAILING_DATA, "line 5:");
        }

        @Test
        void blankLinesAndTrailingSpacesBeforeTheEndAreIgnored() {
            FirmwareImage image = read(lines("\n", DATA_0.replace("\n", "  \r\n"), "   \n", DATA_4, EOF));
            assertThat(image.segments()).containsExactly(new Segment(0, new byte[] {1, 2, 3, 4, 5, 6}));
        }

        @Test
        void overlappingDifferentDataNamesBothLines() {
            String clash = hexRecord(0, 0x0002, (byte) 9, (byte) 9);
            refused(() -> read(lines(UPPER_0800, DATA_0, DATA_4, clash, EOF)), FirmwareErrorCode.OVERLAP,
                    "line 4:", "0x08000002 from line 4", "from line 2", "different data");
        }

        @Test
        void overlapFoundAfterSortingStillNamesBothLines() {
            String late = hexRecord(0, 0x0010, (byte) 1, (byte) 2, (byte) 3, (byte) 4);
            String early = hexRecord(0, 0x000E, (byte) 0, (byte) 0, (byte) 7);
            refused(() -> read(lines(late, early, EOF)), FirmwareErrorCode.OVERLAP,
                    "0x00000010 from line 1", "from line 2");
        }

        @Test
        void identicalOverlapIsAcceptedOnce() {
            String repeat = hexRecord(0, 0x0002, (byte) 3, (byte) 4, (byte) 5);
            FirmwareImage image = read(lines(DATA_0, DATA_4, repeat, EOF));
            assertThat(image.segments()).containsExactly(new Segment(0, new byte[] {1, 2, 3, 4, 5, 6}));
        }

        @Test
        void recordCrossingA64KiBBoundaryIsRefused() {
            String crossing = hexRecord(0, 0xFFFE, (byte) 1, (byte) 2, (byte) 3, (byte) 4);
            refused(() -> read(lines(crossing, EOF)), FirmwareErrorCode.HEX_RECORD, "line 1:", "crosses a 64 KiB");
        }

        @Test
        void recordAtTheTopOfTheAddressSpaceIsCheapAndFine() {
            String top = hexRecord(4, 0, (byte) 0xFF, (byte) 0xFF);
            String data = hexRecord(0, 0xFFF0, new byte[16]);
            FirmwareImage image = read(lines(top, data, EOF));
            assertThat(image.segments()).containsExactly(new Segment(0xFFFF_FFF0L, new byte[16]));
        }

        @Test
        void extendedAddressRecordWithWrongLength() {
            refused(() -> read(lines(hexRecord(4, 0, (byte) 8), EOF)), FirmwareErrorCode.HEX_RECORD,
                    "line 1:", "extended linear address record must have 2 data bytes");
        }

        @Test
        void conflictingStartAddresses() {
            String first = hexRecord(5, 0, (byte) 8, (byte) 0, (byte) 0, (byte) 0x41);
            String second = hexRecord(5, 0, (byte) 8, (byte) 0, (byte) 0, (byte) 0x43);
            refused(() -> read(lines(DATA_0, first, second, EOF)), FirmwareErrorCode.HEX_RECORD, "line 3:");
            assertThat(read(lines(DATA_0, first, first, EOF)).entryPoint()).hasValue(0x0800_0041L);
        }

        @Test
        void startSegmentAddressIsCsTimes16PlusIp() {
            String start = hexRecord(3, 0, (byte) 0x12, (byte) 0x34, (byte) 0x00, (byte) 0x10);
            assertThat(read(lines(DATA_0, start, EOF)).entryPoint()).hasValue(0x12340L + 0x10);
        }

        @Test
        void aHexFileWithoutDataIsRefused() {
            refused(() -> read(EOF), FirmwareErrorCode.EMPTY, "no data bytes");
        }
    }

    @Nested
    class Srec {

        static final String HEADER = srecRecord(0, 2, 0, new byte[] {'h', 'i'}, 0, 2);
        static final String DATA_A = srecRecord(3, 4, 0x0800_0000L, new byte[] {1, 2, 3, 4}, 0, 4);
        static final String DATA_B = srecRecord(3, 4, 0x0800_0004L, new byte[] {5, 6}, 0, 2);
        static final String END = srecRecord(7, 4, 0x0800_0001L, new byte[0], 0, 0);

        @Test
        void wellFormedRecordsRead() {
            FirmwareImage image = read(lines(HEADER, DATA_A, DATA_B, srecRecord(5, 2, 2, new byte[0], 0, 0), END));
            assertThat(image.segments()).containsExactly(new Segment(0x0800_0000L, new byte[] {1, 2, 3, 4, 5, 6}));
            assertThat(image.entryPoint()).hasValue(0x0800_0001L);
        }

        @Test
        void badChecksum() {
            String bad = DATA_B.substring(0, DATA_B.length() - 3) + "00\n";
            refused(() -> read(lines(HEADER, DATA_A, bad, END)), FirmwareErrorCode.SREC_CHECKSUM,
                    "Motorola S-record line 3:", "checksum is 0x00");
        }

        @Test
        void countRecordMustMatchTheDataRecords() {
            refused(() -> read(lines(HEADER, DATA_A, DATA_B, srecRecord(5, 2, 3, new byte[0], 0, 0), END)),
                    FirmwareErrorCode.SREC_COUNT, "line 4:", "says 3 data records", "has 2");
            refused(() -> read(lines(DATA_A, srecRecord(6, 3, 0, new byte[0], 0, 0), END)),
                    FirmwareErrorCode.SREC_COUNT, "line 2:");
        }

        @Test
        void reservedS4IsRefused() {
            refused(() -> read(lines(DATA_A, srecRecord(4, 2, 0, new byte[0], 0, 0), END)),
                    FirmwareErrorCode.SREC_RECORD_TYPE, "line 2:", "S4");
        }

        @Test
        void truncatedRecord() {
            refused(() -> read(lines(DATA_A, DATA_B.substring(0, 9) + "\n", END)), FirmwareErrorCode.SREC_LENGTH,
                    "line 2:");
        }

        @Test
        void fileEndingInADataRecordLooksTruncated() {
            refused(() -> read(lines(HEADER, DATA_A, DATA_B)), FirmwareErrorCode.SREC_TERMINATION_MISSING, "line 3:");
        }

        @Test
        void dataAfterTheTerminationRecord() {
            refused(() -> read(lines(DATA_A, END, DATA_B)), FirmwareErrorCode.SREC_TRAILING_DATA, "line 3:");
        }

        @Test
        void overlapNamesBothLines() {
            String clash = srecRecord(3, 4, 0x0800_0003L, new byte[] {9}, 0, 1);
            refused(() -> read(lines(DATA_A, clash, END)), FirmwareErrorCode.OVERLAP, "from line 2", "from line 1");
        }
    }

    @Nested
    class Elf {

        private final byte[] valid = Corpus.bytes("blinky.elf");

        private byte[] patched(int offset, int... values) {
            byte[] copy = valid.clone();
            for (int i = 0; i < values.length; i++) {
                copy[offset + i] = (byte) values[i];
            }
            return copy;
        }

        @Test
        void elf64() {
            refused(() -> read(patched(4, 2)), FirmwareErrorCode.ELF_CLASS, "ELF32 ARM offset 4 (0x4):", "ELF64");
        }

        @Test
        void bigEndian() {
            refused(() -> read(patched(5, 2)), FirmwareErrorCode.ELF_ENDIAN, "offset 5", "big-endian");
        }

        @Test
        void notArm() {
            refused(() -> read(patched(18, 62, 0)), FirmwareErrorCode.ELF_MACHINE, "offset 18", "e_machine is 62");
        }

        @Test
        void relocatableObject() {
            refused(() -> read(patched(16, 1, 0)), FirmwareErrorCode.ELF_TYPE, "offset 16", "relocatable");
        }

        @Test
        void truncatedHeader() {
            byte[] cut = java.util.Arrays.copyOf(valid, 40);
            refused(() -> read(cut), FirmwareErrorCode.ELF_HEADER, "offset 40", "inside the ELF header");
        }

        @Test
        void truncatedProgramHeaderTable() {
            byte[] cut = java.util.Arrays.copyOf(valid, 60);
            refused(() -> read(cut), FirmwareErrorCode.ELF_PROGRAM_HEADER, "offset 28", "program header table");
        }

        @Test
        void truncatedSegment() {
            // The first PT_LOAD's bytes start at 0x1000; cut in the middle of them.
            byte[] cut = java.util.Arrays.copyOf(valid, 0x1010);
            refused(() -> read(cut), FirmwareErrorCode.ELF_SEGMENT, "segment 0", "run past the end of the file");
        }

        @Test
        void segmentRunningPastTheAddressSpace() {
            // First program header at 52: p_paddr at 52 + 12.
            refused(() -> read(patched(52 + 12, 0xF0, 0xFF, 0xFF, 0xFF)), FirmwareErrorCode.ADDRESS_RANGE,
                    "offset 52", "32-bit address space");
        }
    }

    @Nested
    class DfuFiles {

        @Test
        void flippedDataByteInADfuseFileFailsTheCrcAtTheSuffix() {
            byte[] file = Corpus.bytes("blinky.dfu");
            file[11 + 274 + 8 + 5] ^= 0x01;
            refused(() -> read(file), FirmwareErrorCode.DFUSE_CRC, "DfuSe .dfu offset " + (file.length - 4),
                    "CRC is 0x");
        }

        @Test
        void badTargetSignature() {
            byte[] file = Corpus.bytes("blinky.dfu");
            file[11] = 'X';
            TestFirmwareWriters.fixDfuCrc(file);
            refused(() -> read(file), FirmwareErrorCode.DFUSE_TARGET, "offset 11", "\"Target\"");
        }

        @Test
        void hugeElementSizeIsRefusedWithoutAllocating() {
            byte[] file = Corpus.bytes("blinky.dfu");
            int sizeField = 11 + 274 + 4;
            ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(sizeField, 0xFFFF_FFF0);
            TestFirmwareWriters.fixDfuCrc(file);
            refused(() -> read(file), FirmwareErrorCode.DFUSE_ELEMENT, "offset " + sizeField, "element 0 declares");
        }

        @Test
        void wrongImageSizeInPrefix() {
            byte[] file = Corpus.bytes("blinky.dfu");
            file[6] ^= 0x40;
            TestFirmwareWriters.fixDfuCrc(file);
            refused(() -> read(file), FirmwareErrorCode.DFUSE_SIZE, "offset 6");
        }

        @Test
        void dfuseNeedsTheDfuseSuffixVersion() {
            byte[] file = Corpus.bytes("blinky.dfu");
            file[file.length - 10] = 0x00;
            file[file.length - 9] = 0x01;
            TestFirmwareWriters.fixDfuCrc(file);
            refused(() -> read(file), FirmwareErrorCode.DFUSE_SUFFIX, "bcdDFU is 0x0100");
        }

        @Test
        void overlappingElementsNameBothOffsets() {
            Segment a = new Segment(0x0800_0000L, new byte[] {1, 2, 3, 4});
            Segment b = new Segment(0x0800_0002L, new byte[] {7, 7});
            byte[] file = TestFirmwareWriters.dfuse(List.of(a, b));
            refused(() -> read(file), FirmwareErrorCode.OVERLAP, "from offset 297", "from offset 285");
        }

        @Test
        void badSuffixCrcOnARawBinary() {
            byte[] file = Corpus.bytes("blinky-flash-suffix.bin");
            file[0] ^= 0x55;
            refused(() -> read(file), FirmwareErrorCode.DFU_SUFFIX_CRC, "raw binary offset " + (file.length - 4),
                    "DFU suffix CRC");
        }

        @Test
        void rawBinaryNeedsABaseAddress() {
            refused(() -> FirmwareReader.read(new byte[] {1, 2}, "a.bin", ReadOptions.defaults()),
                    FirmwareErrorCode.BIN_BASE_ADDRESS_MISSING, "base address");
        }
    }

    @Nested
    class Limits {

        @Test
        void fileLargerThanTheLimit() {
            ReadOptions small = ReadOptions.defaults().withLimits(new FirmwareLimits(100, 1000, 10));
            refused(() -> FirmwareReader.read(Corpus.bytes("blinky.hex"), "x", small), FirmwareErrorCode.LIMIT,
                    "maxFileBytes");
        }

        @Test
        void imageLargerThanTheLimit() {
            ReadOptions small = ReadOptions.defaults().withLimits(new FirmwareLimits(1 << 20, 100, 10));
            refused(() -> FirmwareReader.read(Corpus.bytes("blinky.hex"), "x", small), FirmwareErrorCode.LIMIT,
                    "maxImageBytes", "line 8:");
        }

        @Test
        void tooManyDiscontiguousRuns() {
            ReadOptions small = ReadOptions.defaults().withLimits(new FirmwareLimits(1 << 20, 1000, 2));
            refused(() -> FirmwareReader.read(Corpus.bytes("multi-gap.hex"), "x", small), FirmwareErrorCode.LIMIT,
                    "maxSegments");
        }

        @Test
        void unrecognisedContentWithoutABaseAddressIsAnUnknownFormat() {
            byte[] pdf = "%PDF-1.7\n\u0001\u0002".getBytes(StandardCharsets.ISO_8859_1);
            refused(() -> FirmwareReader.read(pdf, "manual.pdf", ReadOptions.defaults()),
                    FirmwareErrorCode.UNKNOWN_FORMAT, "not Intel HEX, S-record, ELF or DfuSe");
        }

        @Test
        void emptyFile() {
            refused(() -> read(new byte[0]), FirmwareErrorCode.EMPTY, "empty");
        }
    }
}
