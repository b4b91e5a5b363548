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

    /**
     * Walks the lines of a text image (Intel HEX, S-record) in place: line numbers count every
     * line, blank ones included, so that errors name the line an editor shows; lines that are
     * blank after trimming spaces, tabs and CR are skipped. No line is copied.
     */
    static final class Lines {
        private final byte[] content;
        private int next;
        private int number;
        private int start;
        private int end;

        Lines(byte[] content) {
            this.content = content;
        }

        /** Moves to the next non-blank line; false when the content is exhausted. */
        boolean advance() {
            int n = content.length;
            while (next < n) {
                number++;
                start = next;
                int newline = start;
                while (newline < n && content[newline] != '\n') {
                    newline++;
                }
                next = newline + 1;
                end = newline;
                while (end > start && isBlank(content[end - 1])) {
                    end--;
                }
                if (end != start) {
                    return true;
                }
            }
            return false;
        }

        /** 1-based number of the current line. */
        int number() {
            return number;
        }

        /** Index of the current line's first byte. */
        int start() {
            return start;
        }

        /** Index after the current line's last byte that is not trailing white space. */
        int end() {
            return end;
        }

        /**
         * The number of the first line after the current one that holds anything but white
         * space, or 0 when only white space follows (a terminating record must be the last).
         */
        int lineOfTrailingContent() {
            int line = number + 1;
            for (int i = Math.min(next, content.length); i < content.length; i++) {
                byte b = content[i];
                if (b == '\n') {
                    line++;
                } else if (!isBlank(b)) {
                    return line;
                }
            }
            return 0;
        }
    }

    /** Printable rendering of one byte for error messages. */
    static String show(byte b) {
        int c = b & 0xFF;
        return c >= 0x21 && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02X", c);
    }


}
