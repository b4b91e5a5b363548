package com.flashline.firmware;

import static com.flashline.firmware.MalformedInputTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ELF32 headers at their size limits: the 4-byte magic, the 16-byte e_ident, the 52-byte header,
 * a program header table that ends exactly at the end of the file, and the p_offset/p_memsz
 * fields each segment error points at (program headers start at 52 and are 32 bytes apart).
 */
class ElfHeaderBoundariesTest {

    private static final byte[] EIGHT = {1, 2, 3, 4, 5, 6, 7, 8};

    /** Two PT_LOAD segments with data (program headers at 52 and 84) and a .bss-like one at 116. */
    private static byte[] twoSegments() {
        return TestFirmwareWriters.elf(List.of(new Segment(0x0800_0000L, EIGHT), new Segment(0x0800_1000L, EIGHT)),
                0x0800_0001L);
    }

    private static FirmwareImage read(byte[] content) {
        return FirmwareReader.read(content, "t.elf", ReadOptions.defaults());
    }

    @Test
    void theFourMagicBytesAloneAreDetectedAsElfAndThenTooShort() {
        byte[] magic = {0x7F, 'E', 'L', 'F'};
        assertThat(FormatDetector.detect(magic, null)).isEqualTo(FirmwareFormat.ELF);
        var e = refused(() -> read(magic), FirmwareErrorCode.ELF_HEADER, "file ends inside e_ident (4 of 16 bytes)");
        assertThat(e.offset()).hasValue(4);
    }

    @Test
    void aCompleteIdentButNoMoreEndsInsideTheHeader() {
        byte[] ident = Arrays.copyOf(twoSegments(), 16);
        var e = refused(() -> read(ident), FirmwareErrorCode.ELF_HEADER,
                "file ends inside the ELF header (16 of 52 bytes)");
        assertThat(e.offset()).hasValue(16);
        var fifteen = refused(() -> read(Arrays.copyOf(ident, 15)), FirmwareErrorCode.ELF_HEADER,
                "file ends inside e_ident (15 of 16 bytes)");
        assertThat(fifteen.offset()).hasValue(15);
    }

    @Test
    void aCompleteHeaderIsCheckedForItsProgramHeaderTable() {
        byte[] header = Arrays.copyOf(twoSegments(), 52);
        var e = refused(() -> read(header), FirmwareErrorCode.ELF_PROGRAM_HEADER,
                "program header table (3 entries of 32 bytes at offset 52) runs past the end of the file (52 bytes)");
        assertThat(e.offset()).hasValue(28);
        refused(() -> read(Arrays.copyOf(header, 51)), FirmwareErrorCode.ELF_HEADER, "(51 of 52 bytes)");
    }

    @Test
    void unknownClassAndEncodingAreNamed() {
        byte[] classThree = twoSegments();
        classThree[4] = 3;
        refused(() -> read(classThree), FirmwareErrorCode.ELF_CLASS, "unknown ELF class 3");
        byte[] encodingZero = twoSegments();
        encodingZero[5] = 0;
        refused(() -> read(encodingZero), FirmwareErrorCode.ELF_ENDIAN, "unknown ELF data encoding 0");
    }

    @Test
    void aProgramHeaderTableEndingExactlyAtTheEndOfTheFileIsRead() {
        // Only segments without file bytes: the table is the last thing in the file.
        byte[] elf = TestFirmwareWriters.elf(List.of(new Segment(0x0800_0000L, new byte[0])), 0);
        assertThat(elf).hasSize(52 + 2 * 32);
        refused(() -> read(elf), FirmwareErrorCode.EMPTY, "ELF32 ARM", "file contains no data bytes");
    }

    @Test
    void programHeadersMayBeLargerThan32Bytes() {
        // Rebuild the table with 40-byte entries: the reader must step by e_phentsize.
        byte[] original = twoSegments();
        int phnum = 3;
        ByteBuffer out = ByteBuffer.allocate(original.length + phnum * 8).order(ByteOrder.LITTLE_ENDIAN);
        out.put(original, 0, 52);
        for (int i = 0; i < phnum; i++) {
            byte[] ph = Arrays.copyOfRange(original, 52 + 32 * i, 52 + 32 * i + 32);
            ByteBuffer phb = ByteBuffer.wrap(ph).order(ByteOrder.LITTLE_ENDIAN);
            phb.putInt(4, phb.getInt(4) + phnum * 8);
            out.put(ph).put(new byte[8]);
        }
        out.put(original, 52 + 32 * phnum, original.length - 52 - 32 * phnum);
        byte[] wide = out.array();
        ByteBuffer.wrap(wide).order(ByteOrder.LITTLE_ENDIAN).putShort(42, (short) 40);
        assertThat(read(wide).segments()).containsExactly(new Segment(0x0800_0000L, EIGHT),
                new Segment(0x0800_1000L, EIGHT));
        ByteBuffer.wrap(wide).order(ByteOrder.LITTLE_ENDIAN).putShort(42, (short) 31);
        var e = refused(() -> read(wide), FirmwareErrorCode.ELF_PROGRAM_HEADER, "e_phentsize is 31, less than 32");
        assertThat(e.offset()).hasValue(42);
    }

    @Test
    void noProgramHeadersAtAllIsRefused() {
        for (int phnum : new int[] {0, 0xFFFF}) {
            byte[] elf = twoSegments();
            ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putShort(44, (short) phnum);
            var e = refused(() -> read(elf), FirmwareErrorCode.ELF_PROGRAM_HEADER,
                    "e_phnum is " + phnum + "; no loadable segments");
            assertThat(e.offset()).hasValue(44);
        }
    }

    @Test
    void aSegmentWithLessMemoryThanFileBytesIsNamedAtItsMemsz() {
        byte[] elf = twoSegments();
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putInt(84 + 20, 4);
        var e = refused(() -> read(elf), FirmwareErrorCode.ELF_SEGMENT,
                "segment 1 has p_memsz 4 smaller than p_filesz 8");
        assertThat(e.offset()).hasValue(84 + 20);
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putInt(84 + 20, 8);
        assertThat(read(elf).totalSize()).isEqualTo(16);
    }

    @Test
    void aSegmentRunningPastTheFileIsNamedAtItsOffsetField() {
        byte[] elf = twoSegments();
        int n = elf.length;
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putInt(84 + 4, n - 7);
        var e = refused(() -> read(elf), FirmwareErrorCode.ELF_SEGMENT,
                "segment 1's 8 file bytes at offset " + (n - 7) + " run past the end of the file (" + n + " bytes)");
        assertThat(e.offset()).hasValue(84 + 4);
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putInt(84 + 4, n - 8);
        assertThat(read(elf).segments().get(1).data()).isEqualTo(Arrays.copyOfRange(elf, n - 8, n));
    }

    @Test
    void segmentsThatAreNotLoadableAreSkipped() {
        byte[] elf = twoSegments();
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putInt(52, 6);
        assertThat(read(elf).segments()).containsExactly(new Segment(0x0800_1000L, EIGHT));
    }
}
