package com.flashline.firmware;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides a file's format from its content first: the "DfuSe" and ELF magic, then the first
 * character of the first non-blank line of a text file (':' Intel HEX, 'S' + digit S-record).
 * Only content with no signature falls back to the file name's extension; anything else is a
 * raw binary.
 */
public final class FormatDetector {

    private static final int TEXT_PROBE = 64;

    private FormatDetector() {
    }

    public static FirmwareFormat detect(byte[] content, String fileName) {
        if (DfuSeReader.hasMagic(content)) {
            return FirmwareFormat.DFUSE;
        }
        if (ElfReader.hasMagic(content)) {
            return FirmwareFormat.ELF;
        }
        Optional<FirmwareFormat> text = textFormat(content);
        if (text.isPresent()) {
            return text.get();
        }
        return fromExtension(fileName).orElse(FirmwareFormat.BIN);
    }

    private static Optional<FirmwareFormat> textFormat(byte[] content) {
        int i = 0;
        while (i < content.length && (TextRecords.isBlank(content[i]) || content[i] == '\n')) {
            i++;
        }
        int probeEnd = Math.min(content.length, i + TEXT_PROBE);
        for (int j = i; j < probeEnd; j++) {
            int c = content[j] & 0xFF;
            if (c != '\n' && !TextRecords.isBlank(content[j]) && (c < 0x20 || c >= 0x7F)) {
                return Optional.empty();
            }
        }
        if (i < content.length && content[i] == ':') {
            return Optional.of(FirmwareFormat.INTEL_HEX);
        }
        if (i + 1 < content.length && (content[i] == 'S' || content[i] == 's')
                && content[i + 1] >= '0' && content[i + 1] <= '9') {
            return Optional.of(FirmwareFormat.SREC);
        }
        return Optional.empty();
    }

    /** The format a file name's extension suggests, if it is a well-known one. */
    public static Optional<FirmwareFormat> fromExtension(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        String lower = fileName.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        String extension = dot < 0 ? "" : lower.substring(dot + 1);
        return Optional.ofNullable(switch (extension) {
            case "hex", "ihx", "ihex" -> FirmwareFormat.INTEL_HEX;
            case "srec", "s19", "s28", "s37", "mot", "sx" -> FirmwareFormat.SREC;
            case "elf", "axf", "out" -> FirmwareFormat.ELF;
            case "dfu" -> FirmwareFormat.DFUSE;
            case "bin" -> FirmwareFormat.BIN;
            default -> null;
        });
    }
}
