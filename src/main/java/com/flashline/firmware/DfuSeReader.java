package com.flashline.firmware;

import static com.flashline.firmware.FirmwareErrorCode.DFUSE_CRC;
import static com.flashline.firmware.FirmwareErrorCode.DFUSE_ELEMENT;
import static com.flashline.firmware.FirmwareErrorCode.DFUSE_PREFIX;
import static com.flashline.firmware.FirmwareErrorCode.DFUSE_SIZE;
import static com.flashline.firmware.FirmwareErrorCode.DFUSE_SUFFIX;
import static com.flashline.firmware.FirmwareErrorCode.DFUSE_TARGET;
import static com.flashline.firmware.LittleEndian.u32;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * ST DfuSe files (UM0391): an 11-byte prefix ("DfuSe", version 1, image size, target count),
 * targets (274-byte prefix: "Target", alternate setting, named flag, 255-byte name, target size,
 * element count) each holding image elements (address, size, bytes), then the DFU suffix with
 * bcdDFU 0x011A and its CRC.
 *
 * <p>The prefix's image size is accepted both with the suffix (what dfu-util's dfuse-pack writes)
 * and without it (UM0391's wording); anything else is refused. Every byte between the prefix and
 * the suffix must belong to a target, and every target's size must equal its elements'.
 */
final class DfuSeReader {

    private static final FirmwareFormat FORMAT = FirmwareFormat.DFUSE;
    private static final int PREFIX_SIZE = 11;
    private static final int TARGET_PREFIX_SIZE = 274;
    private static final int ELEMENT_HEADER_SIZE = 8;
    private static final int BCD_DFUSE = 0x011A;

    private DfuSeReader() {
    }

    static boolean hasMagic(byte[] content) {
        return content.length >= 5 && content[0] == 'D' && content[1] == 'f' && content[2] == 'u' && content[3] == 'S'
                && content[4] == 'e';
    }

    static ParsedImage read(byte[] content, FirmwareLimits limits) {
        int n = content.length;
        if (!hasMagic(content)) {
            throw error(DFUSE_PREFIX, 0, "no \"DfuSe\" signature");
        }
        if (n < PREFIX_SIZE + DfuSuffixes.LENGTH) {
            throw error(DFUSE_SIZE, n, "file of " + n + " bytes is too short for the DfuSe prefix and DFU suffix");
        }
        if (!DfuSuffixes.present(content)) {
            throw error(DFUSE_SUFFIX, n - 8, "no DFU suffix (\"UFD\", length 16) at the end of the file; truncated?");
        }
        DfuSuffix suffix = DfuSuffixes.verify(content, FORMAT, DFUSE_CRC);
        if (suffix.bcdDfu() != BCD_DFUSE) {
            throw error(DFUSE_SUFFIX, n - 10, String.format("suffix bcdDFU is 0x%04X, DfuSe files have 0x011A",
                    suffix.bcdDfu()));
        }
        if (content[5] != 1) {
            throw error(DFUSE_PREFIX, 5, "DfuSe version " + (content[5] & 0xFF) + ", only version 1 is known");
        }
        long imageSize = u32(content, 6);
        if (imageSize != n && imageSize != n - DfuSuffixes.LENGTH) {
            throw error(DFUSE_SIZE, 6, "prefix says the image is " + imageSize + " bytes, the file has " + n);
        }
        int targets = content[10] & 0xFF;
        int suffixStart = n - DfuSuffixes.LENGTH;
        SegmentCollector collector = new SegmentCollector(FORMAT, limits, false);
        int at = PREFIX_SIZE;
        for (int t = 0; t < targets; t++) {
            if (suffixStart - at < TARGET_PREFIX_SIZE) {
                throw error(DFUSE_TARGET, at, "target " + t + " of " + targets + ": file ends inside its prefix");
            }
            if (!(content[at] == 'T' && content[at + 1] == 'a' && content[at + 2] == 'r' && content[at + 3] == 'g'
                    && content[at + 4] == 'e' && content[at + 5] == 't')) {
                throw error(DFUSE_TARGET, at, "target " + t + " has no \"Target\" signature");
            }
            int alt = content[at + 6] & 0xFF;
            long targetSize = u32(content, at + 266);
            long elements = u32(content, at + 270);
            int targetStart = at;
            at += TARGET_PREFIX_SIZE;
            if (targetSize > suffixStart - at) {
                throw error(DFUSE_TARGET, targetStart + 266, "target " + t + " declares " + targetSize
                        + " bytes, only " + (suffixStart - at) + " remain before the suffix");
            }
            int targetEnd = at + (int) targetSize;
            if (elements > targetSize / ELEMENT_HEADER_SIZE) {
                throw error(DFUSE_TARGET, targetStart + 270, "target " + t + " declares " + elements
                        + " elements, which cannot fit in its " + targetSize + " bytes");
            }
            for (long e = 0; e < elements; e++) {
                if (targetEnd - at < ELEMENT_HEADER_SIZE) {
                    throw error(DFUSE_ELEMENT, at, "target " + t + " element " + e + ": target ends inside its header");
                }
                long address = u32(content, at);
                long size = u32(content, at + 4);
                int elementStart = at;
                at += ELEMENT_HEADER_SIZE;
                if (size > targetEnd - at) {
                    throw error(DFUSE_ELEMENT, elementStart + 4, "target " + t + " element " + e + " declares " + size
                            + " bytes, only " + (targetEnd - at) + " remain in the target");
                }
                collector.add(address, content, at, (int) size, elementStart, alt);
                at += (int) size;
            }
            if (at != targetEnd) {
                throw error(DFUSE_TARGET, at, "target " + t + " has " + (targetEnd - at)
                        + " bytes after its last element");
            }
        }
        if (at != suffixStart) {
            throw error(DFUSE_SIZE, at, (suffixStart - at) + " bytes after the last of " + targets
                    + " targets, before the suffix");
        }
        return new ParsedImage(collector.finish(), OptionalLong.empty(), Optional.of(suffix));
    }

    private static FirmwareFormatException error(FirmwareErrorCode code, long offset, String detail) {
        return FirmwareFormatException.atOffset(code, FORMAT, offset, detail);
    }
}
