package com.flashline.firmware;

import java.util.zip.CRC32;

/**
 * The 16-byte DFU 1.1 file suffix (DFU spec appendix B): bcdDevice, idProduct, idVendor, bcdDFU,
 * "UFD", bLength = 16, dwCRC — all little-endian, at the very end of the file.
 *
 * <p>dwCRC is the CRC-32 of every byte before it <em>without the final inversion</em>, i.e. the
 * bitwise complement of the usual (zlib/{@link CRC32}) value; that is what {@code dfu-suffix} and
 * {@code dfuse-pack} write.
 */
final class DfuSuffixes {

    static final int LENGTH = 16;

    private DfuSuffixes() {
    }

    /** True when the file ends in something shaped like a DFU suffix (signature and length byte). */
    static boolean present(byte[] content) {
        int n = content.length;
        return n >= LENGTH && content[n - 8] == 'U' && content[n - 7] == 'F' && content[n - 6] == 'D'
                && content[n - 5] == LENGTH;
    }

    static long dfuCrc(byte[] content, int length) {
        CRC32 crc = new CRC32();
        crc.update(content, 0, length);
        return ~crc.getValue() & 0xFFFF_FFFFL;
    }

    /** Checks the CRC of a present suffix and returns its fields. */
    static DfuSuffix verify(byte[] content, FirmwareFormat format, FirmwareErrorCode crcCode) {
        int n = content.length;
        long stated = LittleEndian.u32(content, n - 4);
        long computed = dfuCrc(content, n - 4);
        if (stated != computed) {
            throw FirmwareFormatException.atOffset(crcCode, format, n - 4, String.format(
                    "DFU suffix CRC is 0x%08X, the file's bytes give 0x%08X (corrupted or truncated file)",
                    stated, computed));
        }
        return new DfuSuffix(LittleEndian.u16(content, n - 16), LittleEndian.u16(content, n - 14),
                LittleEndian.u16(content, n - 12), LittleEndian.u16(content, n - 10));
    }
}
