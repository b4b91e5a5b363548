package com.flashline.firmware;

import static com.flashline.firmware.MalformedInputTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DfuSe layout of UM0391 field by field: 11-byte prefix, 274-byte target prefixes, 8-byte
 * element headers and the 16-byte suffix, each size and count at its boundary, and the offset
 * every refusal names. Files are written here byte by byte so that any field can lie.
 */
class DfuSeReaderTest {

    private static final byte[] FOUR = {1, 2, 3, 4};

    /** One target (alt 0) with one 4-byte element at 0x08000000: 11 + 274 + 8 + 4 + 16 bytes. */
    private static byte[] oneElementFile() {
        return file(1, target(0, element(0x0800_0000L, FOUR)));
    }

    @Test
    void theSmallestLayoutSitsAtTheDocumentedOffsets() {
        byte[] file = oneElementFile();
        assertThat(file).hasSize(313);
        FirmwareImage image = read(file);
        assertThat(image.format()).isEqualTo(FirmwareFormat.DFUSE);
        assertThat(image.segments()).containsExactly(new Segment(0x0800_0000L, FOUR, OptionalInt.of(0)));
        assertThat(image.dfuSuffix()).hasValue(new DfuSuffix(0x2200, 0xDF11, 0x0483, 0x011A));
        assertThat(image.entryPoint()).isEmpty();
    }

    @Test
    void aFiveByteSignatureIsEnoughToBeDetectedAndThenTooShort() {
        byte[] signature = "DfuSe".getBytes(StandardCharsets.US_ASCII);
        assertThat(FormatDetector.detect(signature, null)).isEqualTo(FirmwareFormat.DFUSE);
        var e = refused(() -> read(signature), FirmwareErrorCode.DFUSE_SIZE,
                "file of 5 bytes is too short for the DfuSe prefix and DFU suffix");
        assertThat(e.offset()).hasValue(5);
        assertThat(FormatDetector.detect(Arrays.copyOf(signature, 4), "x.hex")).isEqualTo(FirmwareFormat.INTEL_HEX);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void everySignatureByteCounts(int index) {
        byte[] file = oneElementFile();
        file[index] ^= 0x20;
        assertThat(FormatDetector.detect(file, "x.bin")).isEqualTo(FirmwareFormat.BIN);
        var e = refused(() -> readAs(file), FirmwareErrorCode.DFUSE_PREFIX, "no \"DfuSe\" signature");
        assertThat(e.offset()).hasValue(0);
    }

    @Test
    void prefixAndSuffixAloneAreTheShortestFileAndHoldNoData() {
        byte[] shortest = file(0);
        assertThat(shortest).hasSize(27);
        refused(() -> read(shortest), FirmwareErrorCode.EMPTY, "DfuSe .dfu", "no data bytes");
        byte[] oneShort = Arrays.copyOf(shortest, 26);
        var e = refused(() -> read(oneShort), FirmwareErrorCode.DFUSE_SIZE, "file of 26 bytes is too short");
        assertThat(e.offset()).hasValue(26);
    }

    @Test
    void aMissingSuffixIsNamedAtItsSignature() {
        byte[] noSignature = oneElementFile();
        noSignature[noSignature.length - 6] = 'E';
        var e = refused(() -> read(noSignature), FirmwareErrorCode.DFUSE_SUFFIX, "no DFU suffix");
        assertThat(e.offset()).hasValue(313 - 8);
        byte[] wrongLength = oneElementFile();
        wrongLength[wrongLength.length - 5] = 15;
        refused(() -> read(wrongLength), FirmwareErrorCode.DFUSE_SUFFIX, "(\"UFD\", length 16)");
    }

    @Test
    void theSuffixCrcIsTheInvertedCrc32OfEverythingBeforeIt() {
        byte[] file = oneElementFile();
        long good = le32(file, file.length - 4);
        java.util.zip.CRC32 zlib = new java.util.zip.CRC32();
        zlib.update(file, 0, file.length - 4);
        assertThat(good).isEqualTo(~zlib.getValue() & 0xFFFF_FFFFL);
        putLe32(file, file.length - 4, 0x1234_5678L);
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_CRC, String.format(
                "DFU suffix CRC is 0x12345678, the file's bytes give 0x%08X (corrupted or truncated file)", good));
        assertThat(e.offset()).hasValue(313 - 4);
    }

    @Test
    void theSuffixMustBeTheDfuseOne() {
        byte[] file = oneElementFile();
        putLe16(file, file.length - 10, 0x0100);
        TestFirmwareWriters.fixDfuCrc(file);
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_SUFFIX,
                "suffix bcdDFU is 0x0100, DfuSe files have 0x011A");
        assertThat(e.offset()).hasValue(313 - 10);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 0x80, 0xFF})
    void onlyVersionOneIsKnown(int version) {
        byte[] file = oneElementFile();
        file[5] = (byte) version;
        TestFirmwareWriters.fixDfuCrc(file);
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_PREFIX,
                "DfuSe version " + version + ", only version 1 is known");
        assertThat(e.offset()).hasValue(5);
    }

    @Test
    void thePrefixImageSizeMayCountTheSuffixOrNot() {
        byte[] withSuffix = oneElementFile();
        assertThat(le32(withSuffix, 6)).isEqualTo(313);
        assertThat(read(withSuffix).totalSize()).isEqualTo(4);
        byte[] withoutSuffix = withImageSize(oneElementFile(), 313 - 16);
        assertThat(read(withoutSuffix).totalSize()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 313 - 17, 313 - 15, 313 + 1, 313 + 16, 0xFFFF_FFFFL})
    void anyOtherPrefixImageSizeIsRefused(long declared) {
        byte[] file = withImageSize(oneElementFile(), declared);
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_SIZE,
                "prefix says the image is " + declared + " bytes, the file has 313");
        assertThat(e.offset()).hasValue(6);
    }

    @Test
    void theTargetCountIsUnsignedAndEveryTargetMustBePresent() {
        byte[] file = oneElementFile();
        file[10] = (byte) 200;
        TestFirmwareWriters.fixDfuCrc(file);
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_TARGET,
                "target 1 of 200: file ends inside its prefix");
        assertThat(e.offset()).hasValue(11 + 274 + 12);
    }

    @Test
    void aTargetPrefixNeedsAll274Bytes() {
        byte[] empty = target(1, 0, 0);
        byte[] fits = file(2, target(0, element(0x0800_0000L, FOUR)), empty);
        FirmwareImage image = read(fits);
        assertThat(image.segments()).containsExactly(new Segment(0x0800_0000L, FOUR, OptionalInt.of(0)));
        byte[] cut = file(2, target(0, element(0x0800_0000L, FOUR)), Arrays.copyOf(empty, 273));
        var e = refused(() -> read(cut), FirmwareErrorCode.DFUSE_TARGET, "target 1 of 2: file ends inside its prefix");
        assertThat(e.offset()).hasValue(11 + 274 + 12);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void everyTargetSignatureByteCounts(int index) {
        byte[] second = target(1, element(0x0800_1000L, FOUR));
        second[index] = 'x';
        byte[] file = file(2, target(0, element(0x0800_0000L, FOUR)), second);
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_TARGET, "target 1 has no \"Target\" signature");
        assertThat(e.offset()).hasValue(11 + 274 + 12);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 0x7F, 0x80, 0xFF})
    void theAlternateSettingIsAnUnsignedByte(int alt) {
        byte[] file = file(1, target(alt, element(0x0800_0000L, FOUR)));
        assertThat(read(file).segments()).containsExactly(new Segment(0x0800_0000L, FOUR, OptionalInt.of(alt)));
    }

    @Test
    void elementAddressesAndSizesAreUnsigned32BitLittleEndian() {
        byte[] high = new byte[200];
        high[0] = 0x11;
        high[199] = 0x22;
        byte[] file = file(1, target(0, element(0xFFFF_FF00L, high)));
        assertThat(read(file).segments()).containsExactly(new Segment(0xFFFF_FF00L, high, OptionalInt.of(0)));
    }

    @Test
    void targetsAndElementsFollowEachOther() {
        byte[] a = {1, 2, 3};
        byte[] b = {4, 5};
        byte[] c = {6, 7, 8, 9, 10};
        byte[] file = file(2, target(0, element(0x0800_0000L, a), element(0x0800_0010L, b)),
                target(2, element(0x1FFF_C000L, c)));
        assertThat(read(file).segments()).containsExactly(new Segment(0x0800_0000L, a, OptionalInt.of(0)),
                new Segment(0x0800_0010L, b, OptionalInt.of(0)), new Segment(0x1FFF_C000L, c, OptionalInt.of(2)));
    }

    @Test
    void aTargetMayNotDeclareMoreBytesThanPrecedeTheSuffix() {
        byte[] file = file(1, target(0, 13, 1, element(0x0800_0000L, FOUR)));
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_TARGET,
                "target 0 declares 13 bytes, only 12 remain before the suffix");
        assertThat(e.offset()).hasValue(11 + 266);
    }

    @Test
    void aTargetMayNotDeclareMoreBytesThanPrecedeTheSuffixEvenBehindAnother() {
        byte[] file = file(2, target(0, element(0x0800_0000L, FOUR)), target(1, 13, 1, element(0x0800_1000L, FOUR)));
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_TARGET,
                "target 1 declares 13 bytes, only 12 remain before the suffix");
        assertThat(e.offset()).hasValue(11 + 286 + 266);
    }

    @Test
    void asManyElementsAsEightByteHeadersFitAreAllowedAndEmptyOnesAddNothing() {
        // 20 bytes: an empty element (8) and one of 4 data bytes (12); 20 / 8 = 2 elements.
        byte[] file = file(1, target(0, 20, 2, element(0x0800_0100L), element(0x0800_0000L, FOUR)));
        assertThat(read(file).segments()).containsExactly(new Segment(0x0800_0000L, FOUR, OptionalInt.of(0)));
        byte[] tooMany = file(1, target(0, 20, 3, element(0x0800_0100L), element(0x0800_0000L, FOUR)));
        var e = refused(() -> read(tooMany), FirmwareErrorCode.DFUSE_TARGET,
                "target 0 declares 3 elements, which cannot fit in its 20 bytes");
        assertThat(e.offset()).hasValue(11 + 270);
    }

    @Test
    void anElementHeaderMustFitInWhatIsLeftOfItsTarget() {
        // 24 bytes allow 3 headers, but the first element's 8 data bytes leave room for one more only.
        byte[] eight = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] file = file(1, target(0, 24, 3, element(0x0800_0000L, eight), element(0x0800_0100L)));
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_ELEMENT,
                "target 0 element 2: target ends inside its header");
        assertThat(e.offset()).hasValue(11 + 274 + 24);
    }

    @Test
    void anElementMayNotDeclareMoreBytesThanRemainInItsTarget() {
        byte[] file = file(1, target(0, element(0x0800_0000L, FOUR), element(0x0800_0100L, 5, FOUR)));
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_ELEMENT,
                "target 0 element 1 declares 5 bytes, only 4 remain in the target");
        assertThat(e.offset()).hasValue(11 + 274 + 12 + 4);
    }

    @Test
    void bytesAfterATargetsLastElementAreRefused() {
        byte[] junk = {0, 0, 0};
        byte[] file = file(1, target(0, 15, 1, element(0x0800_0000L, FOUR), junk));
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_TARGET, "target 0 has 3 bytes after its last element");
        assertThat(e.offset()).hasValue(11 + 274 + 12);
    }

    @Test
    void bytesAfterTheLastTargetAreRefused() {
        byte[] file = file(1, target(0, element(0x0800_0000L, FOUR)), new byte[5]);
        var e = refused(() -> read(file), FirmwareErrorCode.DFUSE_SIZE,
                "5 bytes after the last of 1 targets, before the suffix");
        assertThat(e.offset()).hasValue(11 + 274 + 12);
    }

    @Test
    void overlappingTargetsOfDifferentAlternateSettingsNameBothElements() {
        byte[] file = file(2, target(0, element(0x0800_0000L, FOUR)), target(1, element(0x0800_0000L, FOUR)));
        refused(() -> read(file), FirmwareErrorCode.OVERLAP, "from offset 571 (0x23b)", "from offset 285 (0x11d)",
                "for another DfuSe alternate setting");
    }

    @Test
    void adjacentElementsOfDifferentAlternateSettingsStaySeparateSegments() {
        byte[] next = {5, 6};
        byte[] file = file(2, target(0, element(0x0800_0000L, FOUR)), target(1, element(0x0800_0004L, next)));
        assertThat(read(file).segments()).containsExactly(new Segment(0x0800_0000L, FOUR, OptionalInt.of(0)),
                new Segment(0x0800_0004L, next, OptionalInt.of(1)));
    }

    @Test
    void anOverlapAcrossAlternateSettingsIsReportedAtTheHigherSettingWhateverTheTargetOrder() {
        byte[] file = file(2, target(1, element(0x0800_0000L, FOUR)), target(0, element(0x0800_0000L, FOUR)));
        refused(() -> read(file), FirmwareErrorCode.OVERLAP,
                "data at 0x08000000 from offset 285 (0x11d) overlaps data at the same address from offset 571 (0x23b)"
                        + " for another DfuSe alternate setting");
    }

    @Test
    void anErrorAtOffsetZeroStillNamesTheOffsetAndNoLine() {
        byte[] file = oneElementFile();
        file[0] = 'd';
        var e = refused(() -> readAs(file), FirmwareErrorCode.DFUSE_PREFIX, "signature");
        assertThat(e.getMessage()).isEqualTo("DfuSe .dfu offset 0 (0x0): no \"DfuSe\" signature [DFUSE_PREFIX]");
        assertThat(e.line()).isEmpty();
        assertThat(e.format()).hasValue(FirmwareFormat.DFUSE);
    }

    private static FirmwareImage read(byte[] file) {
        return FirmwareReader.read(file, "t.dfu", ReadOptions.defaults());
    }

    private static FirmwareImage readAs(byte[] file) {
        return FirmwareReader.read(file, "t.dfu", ReadOptions.defaults().withFormat(FirmwareFormat.DFUSE));
    }

    /** An element header (address, declared size) followed by {@code data}. */
    static byte[] element(long address, long declaredSize, byte... data) {
        return ByteBuffer.allocate(8 + data.length).order(ByteOrder.LITTLE_ENDIAN).putInt((int) address)
                .putInt((int) declaredSize).put(data).array();
    }

    static byte[] element(long address, byte... data) {
        return element(address, data.length, data);
    }

    /** A target whose prefix declares {@code declaredSize} bytes and {@code declaredElements}, then {@code parts}. */
    static byte[] target(int alt, long declaredSize, long declaredElements, byte[]... parts) {
        ByteBuffer prefix = ByteBuffer.allocate(274).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put("Target".getBytes(StandardCharsets.US_ASCII)).put((byte) alt).putInt(1);
        byte[] name = new byte[255];
        byte[] text = "ST...".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, name, 0, text.length);
        prefix.put(name).putInt((int) declaredSize).putInt((int) declaredElements);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.array());
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A target declaring exactly the size and number of its elements. */
    static byte[] target(int alt, byte[]... elements) {
        return target(alt, Arrays.stream(elements).mapToInt(e -> e.length).sum(), elements.length, elements);
    }

    /**
     * Prefix (version 1, image size = whole file, {@code declaredTargets}), the given bytes, and a
     * DfuSe suffix (bcdDevice 0x2200, 0483:DF11, bcdDFU 0x011A) with its CRC.
     */
    static byte[] file(int declaredTargets, byte[]... body) {
        int bodyLength = Arrays.stream(body).mapToInt(b -> b.length).sum();
        int total = 11 + bodyLength + 16;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put("DfuSe".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).putInt(total).put((byte) declaredTargets);
        for (byte[] part : body) {
            b.put(part);
        }
        b.putShort((short) 0x2200).putShort((short) 0xDF11).putShort((short) 0x0483).putShort((short) 0x011A)
                .put((byte) 'U').put((byte) 'F').put((byte) 'D').put((byte) 16);
        byte[] out = b.array();
        TestFirmwareWriters.fixDfuCrc(out);
        return out;
    }

    private static byte[] withImageSize(byte[] file, long declared) {
        putLe32(file, 6, declared);
        TestFirmwareWriters.fixDfuCrc(file);
        return file;
    }

    private static long le32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at) & 0xFFFF_FFFFL;
    }

    private static void putLe32(byte[] b, int at, long value) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) value);
    }

    private static void putLe16(byte[] b, int at, int value) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
    }
}
