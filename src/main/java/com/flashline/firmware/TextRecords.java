package com.flashline.firmware;

/** Byte-level helpers shared by the line-oriented formats; no String is made per record. */
final class TextRecords {

    /** Value of an ASCII hex digit, or -1. */
    static final byte[] HEX_VALUE = new byte[256];

    static {
        java.util.Arrays.fill(HEX_VALUE, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX_VALUE[c] = (byte) (c - '0');
        }
        for (int c = 'A'; c <= 'F'; c++) {
            HEX_VALUE[c] = (byte) (c - 'A' + 10);
            HEX_VALUE[c + ('a' - 'A')] = (byte) (c - 'A' + 10);
        }
    }

    private TextRecords() {
    }

    /**
     * The byte written as two hex digits at {@code at}; a non-hex character is reported with its
     * line and column.
     */
    static int hexByte(byte[] content, int at, int line, int lineStart, FirmwareFormat format,
            FirmwareErrorCode syntaxError) {
        int high = HEX_VALUE[content[at] & 0xFF];
        int low = HEX_VALUE[content[at + 1] & 0xFF];
        if ((high | low) < 0) {
            int bad = high < 0 ? at : at + 1;
            throw FirmwareFormatException.atLine(syntaxError, format, line,
                    show(content[bad]) + " at column " + (bad - lineStart + 1) + " is not a hex digit");
        }
        return (high << 4) | low;
    }

    static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    /** Index of the next '\n' at or after {@code from}, or {@code end}. */
    static int lineEnd(byte[] content, int from, int end) {
        for (int i = from; i < end; i++) {
            if (content[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    /** {@code end} moved back over trailing spaces, tabs and CR. */
    static int trimEnd(byte[] content, int start, int end) {
        while (end > start && isBlank(content[end - 1])) {
            end--;
        }
        return end;
    }

    /** True when [from, end) holds only spaces, tabs, CR and LF. */
    static boolean onlyWhitespace(byte[] content, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = content[i];
            if (!isBlank(b) && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Printable rendering of one byte for error messages. */
    static String show(byte b) {
        int c = b & 0xFF;
        return c >= 0x21 && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02X", c);
    }

    /** Line feeds between {@code from} and the first non-whitespace byte (to number that byte's line). */
    static int newlinesBeforeContent(byte[] content, int from, int end) {
        int lines = 0;
        for (int i = from; i < end; i++) {
            byte b = content[i];
            if (b == '\n') {
                lines++;
            } else if (!TextRecords.isBlank(b)) {
                break;
            }
        }
        return lines;
    }

}
