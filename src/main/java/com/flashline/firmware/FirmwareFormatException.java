package com.flashline.firmware;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A firmware file that cannot be read. Always carries a stable {@link FirmwareErrorCode}, the
 * format being read (absent while the format is not yet known) and where the problem is: a
 * 1-based line for the text formats, a 0-based byte offset for the binary ones. The message
 * repeats all of it so that a log line alone is enough to find the fault.
 */
public final class FirmwareFormatException extends FirmwareException {

    private final FirmwareErrorCode code;
    private final FirmwareFormat format;
    private final int line;
    private final long offset;

    private FirmwareFormatException(FirmwareErrorCode code, FirmwareFormat format, int line, long offset,
            String detail) {
        super(compose(code, format, line, offset, detail));
        this.code = code;
        this.format = format;
        this.line = line;
        this.offset = offset;
    }

    public static FirmwareFormatException atLine(FirmwareErrorCode code, FirmwareFormat format, int line,
            String detail) {
        return new FirmwareFormatException(code, format, line, -1, detail);
    }

    public static FirmwareFormatException atOffset(FirmwareErrorCode code, FirmwareFormat format, long offset,
            String detail) {
        return new FirmwareFormatException(code, format, 0, offset, detail);
    }

    public static FirmwareFormatException general(FirmwareErrorCode code, FirmwareFormat format, String detail) {
        return new FirmwareFormatException(code, format, 0, -1, detail);
    }

    private static String compose(FirmwareErrorCode code, FirmwareFormat format, int line, long offset,
            String detail) {
        StringBuilder sb = new StringBuilder();
        sb.append(format == null ? "firmware" : format.displayName()).append(' ');
        if (line > 0) {
            sb.append("line ").append(line).append(": ");
        } else if (offset >= 0) {
            sb.append("offset ").append(offset).append(" (0x").append(Long.toHexString(offset)).append("): ");
        } else {
            sb.append(": ");
        }
        return sb.append(detail).append(" [").append(code).append(']').toString();
    }

    public FirmwareErrorCode code() {
        return code;
    }

    public Optional<FirmwareFormat> format() {
        return Optional.ofNullable(format);
    }

    /** 1-based line of the offending record in a text format. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** 0-based byte offset of the offending structure in a binary format. */
    public OptionalLong offset() {
        return offset >= 0 ? OptionalLong.of(offset) : OptionalLong.empty();
    }
}
