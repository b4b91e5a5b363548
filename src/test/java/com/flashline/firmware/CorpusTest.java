package com.flashline.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every file in the corpus was made by a real tool from the same program; they must agree. */
class CorpusTest {

    private static final long FLASH = 0x0800_0000L;
    private static final long OPTION_BYTES = 0x1FFF_C000L;
    private static final ReadOptions AT_FLASH = ReadOptions.defaults().withBaseAddress(FLASH);

    private final FirmwareImage elf = Corpus.read("blinky.elf");
    private final byte[] flashBytes = Corpus.bytes("blinky-flash.bin");

    @Test
    void elfLoadsSegmentsAtTheirPhysicalAddressesAndKeepsTheEntryPoint() {
        assertThat(elf.format()).isEqualTo(FirmwareFormat.ELF);
        assertThat(elf.segments()).extracting(Segment::address).containsExactly(FLASH, OPTION_BYTES);
        // .text (0xAC bytes) and the load image of .data (0x10 bytes) are contiguous in flash and merge.
        assertThat(elf.segments().get(0).data()).isEqualTo(flashBytes);
        assertThat(elf.segments().get(1).length()).isEqualTo(16);
        assertThat(elf.entryPoint()).hasValue(0x0800_0043L);
        assertThat(elf.totalSize()).isEqualTo(flashBytes.length + 16);
    }

    @Test
    void initialisedDataLandsAtItsFlashLoadAddressNotInRam() {
        Segment flash = elf.segments().get(0);
        byte[] data = flash.data();
        int at = 0xAC;
        assertThat(new String(data, at, 11, StandardCharsets.US_ASCII)).isEqualTo("FlashLine!\n");
        assertThat(Arrays.copyOfRange(data, at + 12, at + 16)).isEqualTo(HexFormat.of().parseHex("eeffc000"));
        assertThat(elf.segments()).noneMatch(s -> s.address() >= 0x2000_0000L && s.address() < 0x2002_0000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blinky.hex", "blinky.srec", "blinky-obs64.hex", "blinky-s37-obs32.srec",
            "blinky-s28-obs8.srec", "blinky.dfu", "blinky-alt.dfu"})
    void everyFormatOfTheFullProgramNormalisesToTheElfsSegmentsAndHash(String name) {
        FirmwareImage image = Corpus.read(name);
        assertThat(withoutAlt(image.segments())).isEqualTo(elf.segments());
        assertThat(image.contentSha256()).isEqualTo(elf.contentSha256());
        assertThat(image.fileSha256()).isNotEqualTo(elf.fileSha256());
    }

    @ParameterizedTest
    @ValueSource(strings = {"blinky-flash.elf", "blinky-flash.hex", "blinky-flash.bin", "blinky-flash-suffix.bin",
            "blinky-flash-s19.srec"})
    void everyFormatOfTheFlashOnlyProgramNormalisesTheSame(String name) {
        FirmwareImage image = Corpus.read(name, AT_FLASH);
        assertThat(image.segments()).containsExactly(new Segment(FLASH, flashBytes));
        assertThat(image.contentSha256()).isEqualTo(FirmwareReader.contentSha256(List.of(new Segment(FLASH, flashBytes))));
    }

    @Test
    void textFormatsCarryTheEntryPoint() {
        assertThat(Corpus.read("blinky.hex").entryPoint()).hasValue(0x0800_0043L);
        assertThat(Corpus.read("blinky.srec").entryPoint()).hasValue(0x0800_0043L);
        assertThat(Corpus.read("blinky-flash.bin", AT_FLASH).entryPoint()).isEmpty();
    }

    @Test
    void dfuSuffixIsCheckedStrippedAndItsIdsKept() {
        FirmwareImage image = Corpus.read("blinky-flash-suffix.bin", AT_FLASH);
        assertThat(image.dfuSuffix()).hasValue(new DfuSuffix(0x2200, 0xDF11, 0x0483, 0x0100));
        assertThat(image.totalSize()).isEqualTo(flashBytes.length);
    }

    @Test
    void dfuseKeepsTheAlternateSettingOfEachTarget() {
        FirmwareImage oneTarget = Corpus.read("blinky.dfu");
        assertThat(oneTarget.segments()).extracting(Segment::alternateSetting)
                .containsExactly(OptionalInt.of(0), OptionalInt.of(0));
        FirmwareImage twoTargets = Corpus.read("blinky-alt.dfu");
        assertThat(twoTargets.segments()).extracting(Segment::alternateSetting)
                .containsExactly(OptionalInt.of(0), OptionalInt.of(1));
        assertThat(twoTargets.dfuSuffix()).hasValueSatisfying(s -> {
            assertThat(s.idVendor()).isEqualTo(0x0483);
            assertThat(s.idProduct()).isEqualTo(0xDF11);
            assertThat(s.bcdDfu()).isEqualTo(0x011A);
        });
    }

    @Test
    void extendedSegmentAddressingFromSrecCat() {
        FirmwareImage image = Corpus.read("blinky-flash-segmented.hex");
        assertThat(image.segments()).containsExactly(new Segment(0x1_0000L, flashBytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"multi-gap.hex", "multi-gap.srec", "multi-gap.dfu"})
    void gappedMultiSegmentImagesKeepEveryPiece(String name) {
        FirmwareImage image = Corpus.read(name);
        assertThat(withoutAlt(image.segments())).containsExactly(new Segment(FLASH, flashBytes),
                new Segment(0x0802_0000L, flashBytes), elf.segments().get(1));
        assertThat(image.contentSha256()).isEqualTo(Corpus.read("multi-gap.hex").contentSha256());
    }

    @Test
    void formatComesFromTheContentNotTheName() {
        FirmwareImage hexNamedBin = FirmwareReader.read(Corpus.bytes("blinky.hex"), "firmware.bin", ReadOptions.defaults());
        assertThat(hexNamedBin.format()).isEqualTo(FirmwareFormat.INTEL_HEX);
        FirmwareImage elfNamedHex = FirmwareReader.read(Corpus.bytes("blinky.elf"), "blinky.hex", ReadOptions.defaults());
        assertThat(elfNamedHex.format()).isEqualTo(FirmwareFormat.ELF);
        assertThat(FirmwareReader.read(Corpus.bytes("blinky.srec"), null, ReadOptions.defaults()).format())
                .isEqualTo(FirmwareFormat.SREC);
        assertThat(FirmwareReader.read(Corpus.bytes("blinky.dfu"), "x.bin", ReadOptions.defaults()).format())
                .isEqualTo(FirmwareFormat.DFUSE);
        assertThat(FirmwareReader.read(flashBytes, "noname", AT_FLASH).format()).isEqualTo(FirmwareFormat.BIN);
    }

    @Test
    void readsFromAPathToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("blinky.srec"), Corpus.bytes("blinky.srec"));
        assertThat(FirmwareReader.read(file, ReadOptions.defaults()).contentSha256()).isEqualTo(elf.contentSha256());
        ReadOptions tiny = ReadOptions.defaults().withLimits(new FirmwareLimits(100, 100, 10));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FirmwareReader.read(file, tiny))
                .isInstanceOf(FirmwareFormatException.class).hasMessageContaining("maxFileBytes");
    }

    @Test
    void aForcedFormatWins() {
        // A hex file forced to be read as a raw binary is just bytes.
        byte[] hex = Corpus.bytes("blinky.hex");
        FirmwareImage raw = FirmwareReader.read(hex, "blinky.hex", AT_FLASH.withFormat(FirmwareFormat.BIN));
        assertThat(raw.format()).isEqualTo(FirmwareFormat.BIN);
        assertThat(raw.segments()).containsExactly(new Segment(FLASH, hex));
    }

    @Test
    void crlfLineEndsAndLowerCaseHexReadTheSame() {
        for (String name : List.of("blinky.hex", "blinky.srec")) {
            String text = new String(Corpus.bytes(name), StandardCharsets.US_ASCII);
            byte[] variant = text.replace("\n", "\r\n").toLowerCase().getBytes(StandardCharsets.US_ASCII);
            FirmwareImage image = FirmwareReader.read(variant, name, ReadOptions.defaults());
            assertThat(image.contentSha256()).isEqualTo(elf.contentSha256());
        }
    }

    @Test
    void hashesMatchIndependentlyComputedValues() {
        // Values computed outside Java (sha256sum; python hashlib over >II address/length + bytes).
        assertThat(Corpus.read("blinky-optbytes.bin", ReadOptions.defaults().withBaseAddress(OPTION_BYTES)).fileSha256())
                .isEqualTo("52d8ac7260bee8d6221185ce95c6f35e7c51067d7bd06bfc3fec4f23797ab624");
        assertThat(elf.contentSha256()).isEqualTo("52daab6708c1bf46c4cf5be3e01d9c59fdc17bfd343dccf4bbe51f4106eb994f");
    }

    private static List<Segment> withoutAlt(List<Segment> segments) {
        return segments.stream().map(s -> new Segment(s.address(), s.data())).toList();
    }
}
