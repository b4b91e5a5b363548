package com.flashline.firmware;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Entry point: turns the bytes of an uploaded file into a {@link FirmwareImage}, or throws a
 * {@link FirmwareFormatException} that says what is wrong and where. Stateless and thread-safe.
 */
public final class FirmwareReader {

    private FirmwareReader() {
    }

    /**
     * Reads {@code content}. The format is {@code options.format()} if given, otherwise detected
     * from the content ({@link FormatDetector}); {@code fileName} only breaks ties and may be null.
     */
    public static FirmwareImage read(byte[] content, String fileName, ReadOptions options) {
        FirmwareLimits limits = options.limits();
        if (content.length > limits.maxFileBytes()) {
            throw FirmwareFormatException.general(FirmwareErrorCode.LIMIT, options.format().orElse(null),
                    "file of " + content.length + " bytes exceeds the " + limits.maxFileBytes()
                            + "-byte limit (FirmwareLimits.maxFileBytes)");
        }
        if (content.length == 0) {
            throw FirmwareFormatException.general(FirmwareErrorCode.EMPTY, options.format().orElse(null), "file is empty");
        }
        FirmwareFormat format = options.format().orElseGet(() -> FormatDetector.detect(content, fileName));
        if (format == FirmwareFormat.BIN && options.format().isEmpty() && options.baseAddress().isEmpty()
                && FormatDetector.fromExtension(fileName).isEmpty()) {
            throw FirmwareFormatException.general(FirmwareErrorCode.UNKNOWN_FORMAT, null,
                    "content is not Intel HEX, S-record, ELF or DfuSe; if it is a raw binary, give its base address");
        }
        ParsedImage parsed = switch (format) {
            case INTEL_HEX -> IntelHexReader.read(content, limits);
            case SREC -> SrecReader.read(content, limits);
            case ELF -> ElfReader.read(content, limits);
            case BIN -> RawBinaryReader.read(content, options.baseAddress(), limits);
            case DFUSE -> DfuSeReader.read(content, limits);
        };
        if (parsed.segments().isEmpty()) {
            throw FirmwareFormatException.general(FirmwareErrorCode.EMPTY, format, "file contains no data bytes");
        }
        return new FirmwareImage(format, parsed.segments(), parsed.entryPoint(), sha256Hex(content),
                contentSha256(parsed.segments()), parsed.dfuSuffix());
    }

    /** Reads a file, refusing before loading it when it exceeds {@code maxFileBytes}. */
    public static FirmwareImage read(Path file, ReadOptions options) throws IOException {
        long size = Files.size(file);
        if (size > options.limits().maxFileBytes()) {
            throw FirmwareFormatException.general(FirmwareErrorCode.LIMIT, options.format().orElse(null),
                    "file of " + size + " bytes exceeds the " + options.limits().maxFileBytes()
                            + "-byte limit (FirmwareLimits.maxFileBytes)");
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes((int) options.limits().maxFileBytes() + 1);
        }
        return read(content, file.getFileName().toString(), options);
    }

    /** The format-independent content hash described on {@link FirmwareImage}. */
    public static String contentSha256(List<Segment> segments) {
        MessageDigest digest = sha256();
        ByteBuffer header = ByteBuffer.allocate(8);
        for (Segment segment : segments) {
            header.clear();
            header.putInt((int) segment.address()).putInt(segment.length()).flip();
            digest.update(header);
            digest.update(segment.buffer());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256Hex(byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
