package com.flashline.firmware;

import static com.flashline.firmware.FirmwareErrorCode.SREC_CHECKSUM;
import static com.flashline.firmware.FirmwareErrorCode.SREC_COUNT;
import static com.flashline.firmware.FirmwareErrorCode.SREC_LENGTH;
import static com.flashline.firmware.FirmwareErrorCode.SREC_RECORD_TYPE;
import static com.flashline.firmware.FirmwareErrorCode.SREC_SYNTAX;
import static com.flashline.firmware.FirmwareErrorCode.SREC_TERMINATION_MISSING;
import static com.flashline.firmware.FirmwareErrorCode.SREC_TRAILING_DATA;

import java.util.OptionalLong;

/**
 * Motorola S-records: S0 header (ignored), S1/S2/S3 data with 16/24/32-bit addresses, S5/S6
 * record counts (checked against the data records seen so far), S7/S8/S9 termination with the
 * start address.
 *
 * <p>Same line rules as {@link IntelHexReader}: LF or CRLF, either case, blank lines ignored, only
 * whitespace after a termination record. srec_cat omits the termination record when it knows no
 * start address, so it is optional, but the file must then end with a count record: a file
 * whose last record is a data record is refused as possibly truncated.
 */
final class SrecReader {

    private static final FirmwareFormat FORMAT = FirmwareFormat.SREC;

    private SrecReader() {
    }

    static ParsedImage read(byte[] content, FirmwareLimits limits) {
        SegmentCollector collector = new SegmentCollector(FORMAT, limits, true);
        byte[] record = new byte[256];
        long dataRecords = 0;
        boolean endsWithCount = false;
        TextRecords.Lines lines = new TextRecords.Lines(content);
        while (lines.advance()) {
            int line = lines.number();
            int lineStart = lines.start();
            int end = lines.end();
            if (content[lineStart] != 'S' && content[lineStart] != 's') {
                throw error(SREC_SYNTAX, line, "expected 'S' at column 1, found " + TextRecords.show(content[lineStart]));
            }
            if (end - lineStart < 4) {
                throw error(SREC_LENGTH, line, "record is truncated: " + (end - lineStart) + " characters");
            }
            int type = content[lineStart + 1] - '0';
            if (type < 0 || type > 9) {
                throw error(SREC_SYNTAX, line, "record type " + TextRecords.show(content[lineStart + 1]) + " is not a digit");
            }
            int addressLength = switch (type) {
                case 0, 1, 5, 9 -> 2;
                case 2, 6, 8 -> 3;
                case 3, 7 -> 4;
                default -> throw error(SREC_RECORD_TYPE, line, "record type S" + type + " is reserved/unknown");
            };
            int count = hexByte(content, lineStart + 2, line, lineStart);
            int digits = end - lineStart - 4;
            if (digits != 2 * count) {
                throw error(SREC_LENGTH, line, "record declares " + count + " bytes after the count and so needs "
                        + (2 * count) + " hex digits, but has " + digits);
            }
            if (count < addressLength + 1) {
                throw error(SREC_LENGTH, line, "S" + type + " record needs at least " + (addressLength + 1)
                        + " bytes after the count, declares " + count);
            }
            int sum = count;
            for (int i = 0, at = lineStart + 4; i < count; i++, at += 2) {
                int value = hexByte(content, at, line, lineStart);
                record[i] = (byte) value;
                sum += value;
            }
            if ((sum & 0xFF) != 0xFF) {
                int stated = record[count - 1] & 0xFF;
                throw error(SREC_CHECKSUM, line, String.format("checksum is 0x%02X, the record's bytes need 0x%02X",
                        stated, ~(sum - stated) & 0xFF));
            }
            long address = 0;
            for (int i = 0; i < addressLength; i++) {
                address = (address << 8) | (record[i] & 0xFF);
            }
            int dataLength = count - addressLength - 1;
            endsWithCount = type == 5 || type == 6;
            switch (type) {
                case 0 -> {
                    // Header: free text (module name, tool URL); nothing to check.
                }
                case 1, 2, 3 -> {
                    collector.add(address, record, addressLength, dataLength, line);
                    dataRecords++;
                }
                case 5, 6 -> {
                    if (dataLength != 0) {
                        throw error(SREC_LENGTH, line, "count record S" + type + " must not carry data bytes");
                    }
                    if (address != dataRecords) {
                        throw error(SREC_COUNT, line, "count record says " + address + " data records, the file has "
                                + dataRecords + " before it");
                    }
                }
                default -> {
                    if (dataLength != 0) {
                        throw error(SREC_LENGTH, line, "termination record S" + type + " must not carry data bytes");
                    }
                    int trailing = lines.lineOfTrailingContent();
                    if (trailing != 0) {
                        throw error(SREC_TRAILING_DATA, trailing, "only whitespace may follow the termination record S" + type);
                    }
                    return new ParsedImage(collector.finish(), OptionalLong.of(address));
                }
            }
        }
        if (endsWithCount) {
            return new ParsedImage(collector.finish(), OptionalLong.empty());
        }
        throw error(SREC_TERMINATION_MISSING, Math.max(lines.number(), 1),
                "file ends without a termination record (S7/S8/S9) or a final count record (S5/S6); truncated?");
    }

    private static int hexByte(byte[] content, int at, int line, int lineStart) {
        return TextRecords.hexByte(content, at, line, lineStart, FORMAT, SREC_SYNTAX);
    }

    private static FirmwareFormatException error(FirmwareErrorCode code, int line, String detail) {
        return FirmwareFormatException.atLine(code, FORMAT, line, detail);
    }
}
