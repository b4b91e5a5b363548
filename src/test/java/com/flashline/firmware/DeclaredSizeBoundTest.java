package com.flashline.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded by the bytes a file holds, never by the sizes it declares: a 4 GiB ELF
 * segment, DfuSe target or element in a file of a few hundred bytes is refused with its located
 * error before anything of that size is allocated (measured with the thread's allocation
 * counter), data at the two ends of the 32-bit space costs only the bytes present, and the
 * default {@link FirmwareLimits} are the documented ones.
 */
class DeclaredSizeBoundTest {

    /** Generous for parsing a small file; far below any declared size here (4 GiB). */
    private static final long ALLOCATION_BOUND = 8L << 20;

    /**
     * The documented bound: 16 MiB of image data, four times the largest STM32 flash (4 MiB,
     * STM32U5A9/U5G9 and STM32H7 dual-bank parts), in files of at most 64 MiB (a text format
     * needs more than two characters per byte).
     */
    @Test
    void defaultLimitsAreFourTimesTheLargestStm32Flash() {
        assertThat(FirmwareLimits.DEFAULT.maxImageBytes()).isEqualTo(16L << 20).isEqualTo(4 * (4L << 20));
        assertThat(FirmwareLimits.DEFAULT.maxFileBytes()).isEqualTo(64L << 20);
    }

    @Test
    void anElfSegmentDeclaringFourGibibytesIsRefusedWithoutAllocatingThem() {
        byte[] elf = TestFirmwareWriters.elf(List.of(new Segment(0x0800_0000L, new byte[64])), 0x0800_0001L);
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putInt(52 + 16, 0xFFFF_FFF0).putInt(52 + 20, 0xFFFF_FFF0);
        assertRefusedCheaply(elf, FirmwareFormat.ELF, FirmwareErrorCode.ELF_SEGMENT);
    }

    @Test
    void aDfuSeElementDeclaringFourGibibytesIsRefusedWithoutAllocatingThem() {
        byte[] dfu = TestFirmwareWriters.dfuse(List.of(new Segment(0x0800_0000L, new byte[64])));
        ByteBuffer.wrap(dfu).order(ByteOrder.LITTLE_ENDIAN).putInt(11 + 274 + 4, 0xFFFF_FFFF);
        TestFirmwareWriters.fixDfuCrc(dfu);
        assertRefusedCheaply(dfu, FirmwareFormat.DFUSE, FirmwareErrorCode.DFUSE_ELEMENT);
    }

    @Test
    void aDfuSeTargetDeclaringFourGibibytesIsRefusedWithoutAllocatingThem() {
        byte[] dfu = TestFirmwareWriters.dfuse(List.of(new Segment(0x0800_0000L, new byte[64])));
        ByteBuffer.wrap(dfu).order(ByteOrder.LITTLE_ENDIAN).putInt(11 + 266, 0xFFFF_FFFF);
        TestFirmwareWriters.fixDfuCrc(dfu);
        assertRefusedCheaply(dfu, FirmwareFormat.DFUSE, FirmwareErrorCode.DFUSE_TARGET);
    }

    @Test
    void hexDataAtBothEndsOfTheAddressSpaceCostsOnlyItsBytes() {
        String hex = MalformedInputTest.lines(TestFirmwareWriters.hexRecord(0, 0, (byte) 1, (byte) 2),
                TestFirmwareWriters.hexRecord(4, 0, (byte) 0xFF, (byte) 0xFF),
                TestFirmwareWriters.hexRecord(0, 0xFFFE, (byte) 3, (byte) 4), ":00000001FF\n");
        byte[] content = hex.getBytes(StandardCharsets.US_ASCII);
        long before = allocated();
        FirmwareImage image = FirmwareReader.read(content, "x.hex", ReadOptions.defaults());
        long used = allocated() - before;
        assertThat(image.segments()).extracting(Segment::address).containsExactly(0L, 0xFFFF_FFFEL);
        assertThat(used).isLessThan(ALLOCATION_BOUND);
    }

    @Test
    void srecDataSpanningTheAddressSpaceCostsOnlyItsBytes() {
        String srec = TestFirmwareWriters.srecRecord(3, 4, 0, new byte[] {1, 2}, 0, 2)
                + TestFirmwareWriters.srecRecord(3, 4, 0xFFFF_FFFEL, new byte[] {3, 4}, 0, 2)
                + TestFirmwareWriters.srecRecord(7, 4, 0, new byte[0], 0, 0);
        long before = allocated();
        FirmwareImage image = FirmwareReader.read(srec.getBytes(StandardCharsets.US_ASCII), "x.srec",
                ReadOptions.defaults());
        long used = allocated() - before;
        assertThat(image.segments()).hasSize(2);
        assertThat(used).isLessThan(ALLOCATION_BOUND);
    }

    private static void assertRefusedCheaply(byte[] content, FirmwareFormat format, FirmwareErrorCode code) {
        long before = allocated();
        assertThatThrownBy(() -> FirmwareReader.read(content, "x", ReadOptions.defaults().withFormat(format)))
                .isInstanceOfSatisfying(FirmwareFormatException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.offset()).isPresent();
                });
        assertThat(allocated() - before).isLessThan(ALLOCATION_BOUND);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
