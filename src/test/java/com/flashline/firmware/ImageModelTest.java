package com.flashline.firmware;

import static com.flashline.firmware.MalformedInputTest.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The value types around the readers at their edges: segments, images and ranges in the 32-bit
 * address space, the limits and options accepted, and the file-size limit of both entry points.
 */
class ImageModelTest {

    @Test
    void aSegmentMayEndExactlyAtTheTopOfTheAddressSpace() {
        assertThat(new Segment(0xFFFF_FFFEL, new byte[2]).end()).isEqualTo(0x1_0000_0000L);
        assertThatThrownBy(() -> new Segment(0xFFFF_FFFFL, new byte[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segment outside the 32-bit address space");
        assertThatThrownBy(() -> new Segment(-1, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void segmentsAreEqualByAddressBytesAndAlternateSetting() {
        Segment segment = new Segment(0x10, new byte[] {1, 2}, OptionalInt.of(1));
        assertThat(segment).isEqualTo(new Segment(0x10, new byte[] {1, 2}, OptionalInt.of(1)))
                .hasSameHashCodeAs(new Segment(0x10, new byte[] {1, 2}, OptionalInt.of(1)));
        assertThat(segment).isNotEqualTo(new Segment(0x10, new byte[] {1, 3}, OptionalInt.of(1)))
                .isNotEqualTo(new Segment(0x11, new byte[] {1, 2}, OptionalInt.of(1)))
                .isNotEqualTo(new Segment(0x10, new byte[] {1, 2}));
        assertThat(segment.hashCode()).isNotEqualTo(new Segment(0x10, new byte[] {1, 3}, OptionalInt.of(1)).hashCode());
        assertThat(segment.range()).isEqualTo(new AddressRange(0x10, 0x12));
    }

    @Test
    void aSegmentShowsItsAddressLengthAltAndFirstEightBytes() {
        byte[] nine = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(new Segment(0x0800_0000L, nine, OptionalInt.of(2)))
                .hasToString("Segment[0x08000000, 9 bytes, alt 2, 0102030405060708...]");
        assertThat(new Segment(0x10, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .hasToString("Segment[0x00000010, 8 bytes, 0102030405060708]");
    }

    @Test
    void imageSegmentsMayTouchButNotOverlap() {
        List<Segment> touching = List.of(new Segment(0, new byte[4]), new Segment(4, new byte[4]));
        FirmwareImage image = new FirmwareImage(FirmwareFormat.BIN, touching, OptionalLong.empty(), "", "",
                Optional.empty());
        assertThat(image.startAddress()).hasValue(0);
        assertThat(image.totalSize()).isEqualTo(8);
        List<Segment> overlapping = List.of(new Segment(0, new byte[4]), new Segment(3, new byte[4]));
        assertThatThrownBy(() -> new FirmwareImage(FirmwareFormat.BIN, overlapping, OptionalLong.empty(), "", "",
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        FirmwareImage empty = new FirmwareImage(FirmwareFormat.BIN, List.of(), OptionalLong.empty(), "", "",
                Optional.empty());
        assertThat(empty.startAddress()).isEmpty();
    }

    @Test
    void addressRangesAreHalfOpenFromZero() {
        assertThat(new AddressRange(0, 0).length()).isZero();
        assertThat(new AddressRange(0x10, 0x30).length()).isEqualTo(0x20);
        assertThat(new AddressRange(0x10, 0x30)).hasToString("0x00000010..0x0000002F (32 bytes)");
        assertThatThrownBy(() -> new AddressRange(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AddressRange(5, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitsAcceptOneUpToTheLargestArray() {
        int largest = Integer.MAX_VALUE - 8;
        assertThatCode(() -> new FirmwareLimits(1, 1, 1)).doesNotThrowAnyException();
        assertThatCode(() -> new FirmwareLimits(largest, largest, Integer.MAX_VALUE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new FirmwareLimits(0, 1, 1)).hasMessageContaining("maxFileBytes");
        assertThatThrownBy(() -> new FirmwareLimits(largest + 1L, 1, 1)).hasMessageContaining("maxFileBytes");
        assertThatThrownBy(() -> new FirmwareLimits(1, 0, 1)).hasMessageContaining("maxImageBytes");
        assertThatThrownBy(() -> new FirmwareLimits(1, largest + 1L, 1)).hasMessageContaining("maxImageBytes");
        assertThatThrownBy(() -> new FirmwareLimits(1, 1, 0)).hasMessageContaining("maxSegments");
    }

    @Test
    void aBaseAddressIsAnyThirtyTwoBitAddress() {
        assertThat(ReadOptions.defaults().withBaseAddress(0).baseAddress()).hasValue(0);
        assertThat(ReadOptions.defaults().withBaseAddress(0xFFFF_FFFFL).baseAddress()).hasValue(0xFFFF_FFFFL);
        assertThatThrownBy(() -> ReadOptions.defaults().withBaseAddress(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReadOptions.defaults().withBaseAddress(0x1_0000_0000L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFileOfExactlyMaxFileBytesIsRead(@TempDir Path dir) throws Exception {
        byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
        ReadOptions eight = ReadOptions.defaults().withBaseAddress(0x100).withLimits(new FirmwareLimits(8, 8, 1));
        assertThat(FirmwareReader.read(data, "x.bin", eight).segments()).containsExactly(new Segment(0x100, data));
        Path file = Files.write(dir.resolve("x.bin"), data);
        assertThat(FirmwareReader.read(file, eight).segments()).containsExactly(new Segment(0x100, data));
        ReadOptions seven = eight.withLimits(new FirmwareLimits(7, 8, 1));
        refused(() -> FirmwareReader.read(data, "x.bin", seven), FirmwareErrorCode.LIMIT,
                "file of 8 bytes exceeds the 7-byte limit");
        refused(() -> FirmwareReader.read(file, seven), FirmwareErrorCode.LIMIT, "file of 8 bytes exceeds the 7-byte limit");
    }

    @Test
    void aFileThatIsOnlyADfuSuffixHoldsNoData() {
        byte[] suffixOnly = TestFirmwareWriters.binWithSuffix(new byte[0]);
        assertThat(suffixOnly).hasSize(16);
        refused(() -> FirmwareReader.read(suffixOnly, "x.bin", ReadOptions.defaults().withBaseAddress(0)),
                FirmwareErrorCode.EMPTY, "raw binary", "no data bytes");
    }

    @Test
    void aDfuSuffixShowsVendorProductDeviceAndVersionInHex() {
        assertThat(new DfuSuffix(0x2200, 0xDF11, 0x0483, 0x011A))
                .hasToString("DfuSuffix[0483:df11 device 0x2200 dfu 0x011a]");
    }

    @Test
    void anErrorAtALineHasNoOffset() {
        var e = refused(() -> MalformedInputTest.read(":00000001FF\nx\n"), FirmwareErrorCode.HEX_TRAILING_DATA, "line 2");
        assertThat(e.line()).hasValue(2);
        assertThat(e.offset()).isEmpty();
        assertThat(e.getMessage()).isEqualTo(
                "Intel HEX line 2: only whitespace may follow the end-of-file record [HEX_TRAILING_DATA]");
    }
}
