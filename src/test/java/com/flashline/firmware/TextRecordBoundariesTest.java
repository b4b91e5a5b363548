package com.flashline.firmware;

import static com.flashline.firmware.MalformedInputTest.lines;
import static com.flashline.firmware.MalformedInputTest.refused;
import static com.flashline.firmware.TestFirmwareWriters.hexRecord;
import static com.flashline.firmware.TestFirmwareWriters.srecRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record-level promises of the two text formats at their edges: the shortest and longest
 * records, the checksum value an error says a record needs, the column of a bad digit, the
 * start-address and count records, and how a stray character is shown.
 */
class TextRecordBoundariesTest {

    private static final String EOF = ":00000001FF\n";

    private static FirmwareImage hex(String text) {
        return FirmwareReader.read(text.getBytes(StandardCharsets.ISO_8859_1), "t.hex",
                ReadOptions.defaults().withFormat(FirmwareFormat.INTEL_HEX));
    }

    private static FirmwareImage srec(String text) {
        return FirmwareReader.read(text.getBytes(StandardCharsets.ISO_8859_1), "t.srec",
                ReadOptions.defaults().withFormat(FirmwareFormat.SREC));
    }

    @Nested
    class IntelHex {

        private final String data = hexRecord(0, 0x0100, (byte) 0xAA, (byte) 0xBB);

        @Test
        void aRecordHasAtLeastTenHexDigits() {
            refused(() -> hex(lines(data, ":000000011\n")), FirmwareErrorCode.HEX_LENGTH, "line 2:",
                    "record is truncated: 9 hex digits, a record has at least 10");
        }

        @Test
        void theDeclaredCountFixesTheNumberOfDigits() {
            String oneTooMany = data.replace("\n", "0\n");
            refused(() -> hex(lines(oneTooMany, EOF)), FirmwareErrorCode.HEX_LENGTH, "line 1:",
                    "record declares 2 data bytes and so needs 14 hex digits, but has 15");
        }

        @Test
        void theLongestRecordCarries255Bytes() {
            byte[] bytes = new byte[255];
            bytes[254] = 0x7E;
            FirmwareImage image = hex(lines(hexRecord(0, 0, bytes), EOF));
            assertThat(image.segments()).containsExactly(new Segment(0, bytes));
        }

        @Test
        void aChecksumErrorSaysWhichValueTheRecordNeeds() {
            // :02010000AABB98 is right; the sum of the other bytes is 0x68, so it needs 0x98.
            assertThat(data).isEqualTo(":02010000AABB98\n");
            refused(() -> hex(lines(":02010000AABB97\n", EOF)), FirmwareErrorCode.HEX_CHECKSUM, "line 1:",
                    "checksum is 0x97, the record's bytes need 0x98");
        }

        @Test
        void aBadHighDigitIsShownAtItsColumn() {
            refused(() -> hex(lines(data.replace(":02", ":G2"), EOF)), FirmwareErrorCode.HEX_SYNTAX, "line 1:",
                    "'G' at column 2 is not a hex digit");
            refused(() -> hex(lines(data.replace("AABB", "AXBB"), EOF)), FirmwareErrorCode.HEX_SYNTAX,
                    "'X' at column 11 is not a hex digit");
        }

        @Test
        void theEndOfFileRecordHasNoDataAndAddressZero() {
            refused(() -> hex(lines(data, ":00000101FE\n")), FirmwareErrorCode.HEX_RECORD, "line 2:",
                    "end-of-file record must have address 0000, has 0001");
            refused(() -> hex(lines(data, ":0100000100FE\n")), FirmwareErrorCode.HEX_RECORD,
                    "end-of-file record must have 0 data bytes, has 1");
        }

        @Test
        void addressRecordsMustSitAtAddressZero() {
            refused(() -> hex(lines(hexRecord(4, 0x0010, (byte) 8, (byte) 0), data, EOF)),
                    FirmwareErrorCode.HEX_RECORD, "extended linear address record must have address 0000, has 0010");
            refused(() -> hex(lines(hexRecord(2, 0, (byte) 8), data, EOF)), FirmwareErrorCode.HEX_RECORD,
                    "extended segment address record must have 2 data bytes, has 1");
            refused(() -> hex(lines(data, hexRecord(3, 0, (byte) 8), EOF)), FirmwareErrorCode.HEX_RECORD,
                    "start segment address record must have 4 data bytes, has 1");
            refused(() -> hex(lines(data, hexRecord(5, 0, (byte) 8), EOF)), FirmwareErrorCode.HEX_RECORD,
                    "start linear address record must have 4 data bytes, has 1");
        }

        @Test
        void extendedSegmentAddressesAreSixteenTimesTheSegment() {
            String segment = hexRecord(2, 0, (byte) 0x12, (byte) 0x34);
            FirmwareImage image = hex(lines(segment, data, EOF));
            assertThat(image.segments()).containsExactly(new Segment(0x12340L + 0x0100, new byte[] {(byte) 0xAA, (byte) 0xBB}));
        }

        @Test
        void extendedLinearAddressesAreTheUpperSixteenBits() {
            String upper = hexRecord(4, 0, (byte) 0xC0, (byte) 0x01);
            FirmwareImage image = hex(lines(upper, data, EOF));
            assertThat(image.segments()).extracting(Segment::address).containsExactly(0xC001_0100L);
        }

        @Test
        void aStartLinearAddressUsesAllThirtyTwoBits() {
            String start = hexRecord(5, 0, (byte) 0xF0, (byte) 0x0D, (byte) 0x80, (byte) 0x01);
            assertThat(hex(lines(data, start, EOF)).entryPoint()).hasValue(0xF00D_8001L);
        }

        @Test
        void aSecondDifferentStartAddressNamesBoth() {
            String first = hexRecord(5, 0, (byte) 8, (byte) 0, (byte) 0, (byte) 0x41);
            String second = hexRecord(3, 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0x43);
            refused(() -> hex(lines(data, first, second, EOF)), FirmwareErrorCode.HEX_RECORD, "line 3:",
                    "second start address 0x00000043 differs from the first, 0x08000041");
        }

        @Test
        void aStartAddressOfZeroCountsAsGiven() {
            String zero = hexRecord(5, 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0);
            String other = hexRecord(5, 0, (byte) 0, (byte) 0, (byte) 0, (byte) 1);
            assertThat(hex(lines(data, zero, EOF)).entryPoint()).hasValue(0);
            refused(() -> hex(lines(data, zero, other, EOF)), FirmwareErrorCode.HEX_RECORD, "line 3:");
        }

        @Test
        void aDataRecordEndingExactlyAtTheSegmentEndFitsOneMoreByteDoesNot() {
            assertThat(hex(lines(hexRecord(0, 0xFFFF, (byte) 1), EOF)).segments())
                    .containsExactly(new Segment(0xFFFF, new byte[] {1}));
            refused(() -> hex(lines(hexRecord(0, 0xFFFF, (byte) 1, (byte) 2), EOF)), FirmwareErrorCode.HEX_RECORD,
                    "data record at offset 0xFFFF with 2 bytes crosses a 64 KiB segment boundary");
        }

        @Test
        void unknownRecordTypesAreNamedInHex() {
            refused(() -> hex(lines(data, ":00000010F0\n", EOF)), FirmwareErrorCode.HEX_RECORD_TYPE,
                    "unknown record type 0x10");
        }
    }

    @Nested
    class Srec {

        private final String data = srecRecord(1, 2, 0x1234, new byte[] {(byte) 0xAA, (byte) 0xBB}, 0, 2);
        private final String next = srecRecord(1, 2, 0x1236, new byte[] {(byte) 0xAA, (byte) 0xBB}, 0, 2);

        @Test
        void recordsAreReadWithTheirAddressWidth() {
            String s2 = srecRecord(2, 3, 0xABCDEFL, new byte[] {1}, 0, 1);
            String s3 = srecRecord(3, 4, 0xFEDC_BA98L, new byte[] {2}, 0, 1);
            String s8 = srecRecord(8, 3, 0x00C0_FFEEL, new byte[0], 0, 0);
            FirmwareImage image = srec(lines(data, s2, s3, s8));
            assertThat(image.segments()).extracting(Segment::address).containsExactly(0x1234L, 0xABCDEFL, 0xFEDC_BA98L);
            assertThat(image.entryPoint()).hasValue(0xC0_FFEEL);
            assertThat(srec(lines(data, srecRecord(9, 2, 0xBEEF, new byte[0], 0, 0))).entryPoint()).hasValue(0xBEEF);
            assertThat(srec(lines(data, srecRecord(7, 4, 0xDEAD_BEEFL, new byte[0], 0, 0))).entryPoint())
                    .hasValue(0xDEAD_BEEFL);
        }

        @Test
        void aLowerCaseTypeLetterIsAccepted() {
            assertThat(srec(lines(data, "s9030000FC\n")).segments()).hasSize(1);
        }

        @Test
        void theShortestRecordIsFourCharactersAndThenNeedsItsAddress() {
            refused(() -> srec(lines(data, "S90\n")), FirmwareErrorCode.SREC_LENGTH, "line 2:",
                    "record is truncated: 3 characters");
            refused(() -> srec(lines(data, "S900\n")), FirmwareErrorCode.SREC_LENGTH, "line 2:",
                    "S9 record needs at least 3 bytes after the count, declares 0");
            refused(() -> srec(lines("S203000000\n", data)), FirmwareErrorCode.SREC_LENGTH,
                    "S2 record needs at least 4 bytes after the count, declares 3");
        }

        @Test
        void theCountFixesTheNumberOfDigits() {
            refused(() -> srec(lines(data.replace("\n", "00\n"))), FirmwareErrorCode.SREC_LENGTH, "line 1:",
                    "record declares 5 bytes after the count and so needs 10 hex digits, but has 12");
        }

        @ParameterizedTest
        @ValueSource(chars = {'/', ':', 'X'})
        void theTypeMustBeADigit(char type) {
            refused(() -> srec(lines(data, "S" + type + "030000FC\n")), FirmwareErrorCode.SREC_SYNTAX, "line 2:",
                    "record type '" + type + "' is not a digit");
        }

        @Test
        void recordTypeS0IsAHeaderWhoseTextIsIgnored() {
            assertThat(srec(lines(srecRecord(0, 2, 0, new byte[] {'x'}, 0, 1), data, "S9030000FC\n")).segments())
                    .containsExactly(new Segment(0x1234, new byte[] {(byte) 0xAA, (byte) 0xBB}));
        }

        @Test
        void aChecksumErrorSaysWhichValueTheRecordNeeds() {
            // S1 05 12 34 AA BB: the sum is 0x1B0, so the checksum is ~0xB0 = 0x4F.
            assertThat(data).isEqualTo("S1051234AABB4F\n");
            refused(() -> srec(lines("S1051234AABB4E\n", "S9030000FC\n")), FirmwareErrorCode.SREC_CHECKSUM, "line 1:",
                    "checksum is 0x4E, the record's bytes need 0x4F");
        }

        @Test
        void aBadDigitIsShownAtItsColumn() {
            refused(() -> srec(lines("S105123GAABB4F\n")), FirmwareErrorCode.SREC_SYNTAX,
                    "'G' at column 8 is not a hex digit");
            refused(() -> srec(lines("S1051234AABB4F\n", "S9030000F?\n")), FirmwareErrorCode.SREC_SYNTAX,
                    "line 2:", "'?' at column 10 is not a hex digit");
        }

        @Test
        void countAndTerminationRecordsCarryNoData() {
            refused(() -> srec(lines(data, srecRecord(5, 2, 1, new byte[] {0}, 0, 1))), FirmwareErrorCode.SREC_LENGTH,
                    "count record S5 must not carry data bytes");
            refused(() -> srec(lines(data, srecRecord(9, 2, 0, new byte[] {0}, 0, 1))), FirmwareErrorCode.SREC_LENGTH,
                    "termination record S9 must not carry data bytes");
        }

        @Test
        void aFinalCountRecordEndsAFileWithoutAStartAddress() {
            FirmwareImage s5 = srec(lines(data, next, srecRecord(5, 2, 2, new byte[0], 0, 0)));
            assertThat(s5.segments()).containsExactly(new Segment(0x1234, new byte[] {(byte) 0xAA, (byte) 0xBB,
                    (byte) 0xAA, (byte) 0xBB}));
            assertThat(s5.entryPoint()).isEmpty();
            FirmwareImage s6 = srec(lines(data, srecRecord(6, 3, 1, new byte[0], 0, 0)));
            assertThat(s6.totalSize()).isEqualTo(2);
        }

        @Test
        void aCountRecordBeforeMoreDataDoesNotEndTheFile() {
            refused(() -> srec(lines(data, srecRecord(5, 2, 1, new byte[0], 0, 0), next)),
                    FirmwareErrorCode.SREC_TERMINATION_MISSING, "line 3:");
        }

        @Test
        void onlyWhitespaceMayFollowTheTermination() {
            assertThat(srec(lines(data, "S9030000FC\n", " \t\r\n\n")).totalSize()).isEqualTo(2);
            refused(() -> srec(lines(data, "S9030000FC\n", "\n  x\n")), FirmwareErrorCode.SREC_TRAILING_DATA,
                    "line 4:", "only whitespace may follow the termination record S9");
        }

        @Test
        void aLineMustStartWithS() {
            refused(() -> srec(lines(data, "\tS9030000FC\n")), FirmwareErrorCode.SREC_SYNTAX, "line 2:",
                    "expected 'S' at column 1, found byte 0x09");
        }
    }

    @Nested
    class StrayCharacters {

        @ParameterizedTest
        @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"32|byte 0x20", "33|'!'", "126|'~'", "127|byte 0x7F", "200|byte 0xC8"})
        void areShownAsCharactersOnlyWhenPrintable(int value, String shown) {
            String line = (char) value + ":00000001FF\n";
            refused(() -> hex(line), FirmwareErrorCode.HEX_SYNTAX, "line 1:",
                    "expected ':' at column 1, found " + shown);
        }
    }
}
