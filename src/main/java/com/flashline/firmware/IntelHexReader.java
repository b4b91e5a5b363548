package com.flashline.firmware;

import static com.flashline.firmware.FirmwareErrorCode.HEX_CHECKSUM;
import static com.flashline.firmware.FirmwareErrorCode.HEX_EOF_MISSING;
import static com.flashline.firmware.FirmwareErrorCode.HEX_LENGTH;
import static com.flashline.firmware.FirmwareErrorCode.HEX_RECORD;
import static com.flashline.firmware.FirmwareErrorCode.HEX_RECORD_TYPE;
import static com.flashline.firmware.FirmwareErrorCode.HEX_SYNTAX;
import static com.flashline.firmware.FirmwareErrorCode.HEX_TRAILING_DATA;

import java.util.OptionalLong;

/**
 * Intel HEX (record types 00–05), read byte by byte.
 *
 * <p>Rules beyond the Intel specification, chosen to reject anything ambiguous:
 * <ul>
 * <li>Lines end in LF or CRLF; hex digits may be upper or lower case.</li>
 * <li>Empty lines and lines of only spaces/tabs are ignored before the EOF record; trailing
 *     spaces/tabs after a record are ignored; anything before the ':' is an error.</li>
 * <li>The EOF record (type 01) is required; after it only whitespace may follow.</li>
 * <li>A data record may not run past the end of its 64 KiB segment (readers disagree whether it
 *     wraps or carries on, so we refuse to guess).</li>
 * <li>Start records (03, 05) may repeat only with the same value.</li>
 * </ul>
 */
final class IntelHexReader {

    private static final FirmwareFormat FORMAT = FirmwareFormat.INTEL_HEX;

    private IntelHexReader() {
    }

    static ParsedImage read(byte[] content, FirmwareLimits limits) {
        SegmentCollector collector = new SegmentCollector(FORMAT, limits, true);
        byte[] record = new byte[255 + 5];
        long base = 0;
        long entry = -1;
        TextRecords.Lines lines = new TextRecords.Lines(content);
        while (lines.advance()) {
            int line = lines.number();
            int lineStart = lines.start();
            int end = lines.end();
            if (content[lineStart] != ':') {
                throw error(HEX_SYNTAX, line, "expected ':' at column 1, found " + TextRecords.show(content[lineStart]));
            }
            int digits = end - lineStart - 1;
            if (digits < 10) {
                throw error(HEX_LENGTH, line, "record is truncated: " + digits + " hex digits, a record has at least 10");
            }
            int count = hexByte(content, lineStart + 1, line, lineStart);
            if (digits != 10 + 2 * count) {
                throw error(HEX_LENGTH, line, "record declares " + count + " data bytes and so needs "
                        + (10 + 2 * count) + " hex digits, but has " + digits);
            }
            int length = count + 5;
            int sum = 0;
            for (int i = 0, at = lineStart + 1; i < length; i++, at += 2) {
                int value = hexByte(content, at, line, lineStart);
                record[i] = (byte) value;
                sum += value;
            }
            if ((sum & 0xFF) != 0) {
                int stated = record[length - 1] & 0xFF;
                throw error(HEX_CHECKSUM, line, String.format("checksum is 0x%02X, the record's bytes need 0x%02X",
                        stated, (stated - sum) & 0xFF));
            }
            int offset = ((record[1] & 0xFF) << 8) | (record[2] & 0xFF);
            int type = record[3] & 0xFF;
            switch (type) {
                case 0x00 -> {
                    if (offset + count > 0x1_0000) {
                        throw error(HEX_RECORD, line, String.format(
                                "data record at offset 0x%04X with %d bytes crosses a 64 KiB segment boundary", offset, count));
                    }
                    collector.add(base + offset, record, 4, count, line);
                }
                case 0x01 -> {
                    requireShape(count, 0, offset, line, "end-of-file");
                    int trailing = lines.lineOfTrailingContent();
                    if (trailing != 0) {
                        throw error(HEX_TRAILING_DATA, trailing,
                                "only whitespace may follow the end-of-file record");
                    }
                    return new ParsedImage(collector.finish(), entry < 0 ? OptionalLong.empty() : OptionalLong.of(entry));
                }
                case 0x02 -> {
                    requireShape(count, 2, offset, line, "extended segment address");
                    base = (long) word(record, 4) << 4;
                }
                case 0x03 -> {
                    requireShape(count, 4, offset, line, "start segment address");
                    entry = startAddress(entry, ((long) word(record, 4) << 4) + word(record, 6), line);
                }
                case 0x04 -> {
                    requireShape(count, 2, offset, line, "extended linear address");
                    base = (long) word(record, 4) << 16;
                }
                case 0x05 -> {
                    requireShape(count, 4, offset, line, "start linear address");
                    entry = startAddress(entry, ((long) word(record, 4) << 16) | word(record, 6), line);
                }
                default -> throw error(HEX_RECORD_TYPE, line, String.format("unknown record type 0x%02X", type));
            }
        }
        throw error(HEX_EOF_MISSING, Math.max(lines.number(), 1), "file ends without an end-of-file record (:00000001FF); truncated?");
    }

    private static long startAddress(long previous, long value, int line) {
        if (previous >= 0 && previous != value) {
            throw error(HEX_RECORD, line, String.format("second start address 0x%08X differs from the first, 0x%08X",
                    value, previous));
        }
        return value;
    }

    private static void requireShape(int count, int expectedCount, int offset, int line, String name) {
        if (count != expectedCount) {
            throw error(HEX_RECORD, line, name + " record must have " + expectedCount + " data bytes, has " + count);
        }
        if (offset != 0) {
            throw error(HEX_RECORD, line, String.format("%s record must have address 0000, has %04X", name, offset));
        }
    }

    private static int word(byte[] record, int at) {
        return ((record[at] & 0xFF) << 8) | (record[at + 1] & 0xFF);
    }

    private static int hexByte(byte[] content, int at, int line, int lineStart) {
        return TextRecords.hexByte(content, at, line, lineStart, FORMAT, HEX_SYNTAX);
    }

    private static FirmwareFormatException error(FirmwareErrorCode code, int line, String detail) {
        return FirmwareFormatException.atLine(code, FORMAT, line, detail);
    }
}
