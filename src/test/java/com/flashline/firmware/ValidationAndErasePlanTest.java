package com.flashline.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.Sector;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ValidationAndErasePlanTest {

    private static final MemoryLayout F407_FLASH =
            MemoryLayout.parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");
    private static final MemoryLayout F407_OPTION_BYTES = MemoryLayout.parse("@Option Bytes  /0x1FFFC000/01*016 e");
    private static final MemoryLayout F1_PAGES = MemoryLayout.parse("@Internal Flash  /0x08000000/128*002Kg");
    private static final MemoryLayout L4_PAGES = MemoryLayout.parse("@Internal Flash  /0x08000000/256*02Kg");
    private static final MemoryLayout READ_ONLY = MemoryLayout.parse("@Device Feature /0xFFFF0000/01*004 a");
    private static final List<MemoryLayout> F407 = List.of(F407_FLASH, F407_OPTION_BYTES);

    private static FirmwareImage image(Segment... segments) {
        List<Segment> list = Arrays.asList(segments);
        return new FirmwareImage(FirmwareFormat.BIN, list, OptionalLong.empty(), "", FirmwareReader.contentSha256(list),
                Optional.empty());
    }

    private static Segment bytesAt(long address, int length) {
        return new Segment(address, new byte[length]);
    }

    @Test
    void theRealProgramFitsTheF407FlashAndOptionBytes() {
        FirmwareImage program = Corpus.read("blinky.elf");
        assertThatCode(() -> FirmwareValidator.validate(program, F407)).doesNotThrowAnyException();
        ErasePlan plan = ErasePlan.of(program, F407);
        // Code touches only sector 0; option bytes are writeable but not erasable ('e').
        assertThat(plan.sectors()).containsExactly(new Sector(0x0800_0000L, 16 * 1024, 7));
        assertThat(plan.totalBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void optionBytesWithoutTheirLayoutAreRejected() {
        FirmwareImage program = Corpus.read("blinky.elf");
        assertThatThrownBy(() -> FirmwareValidator.validate(program, List.of(F407_FLASH)))
                .isInstanceOf(FirmwareValidationException.class)
                .hasMessageContaining("0x1FFFC000..0x1FFFC00F (16 bytes)")
                .satisfies(e -> assertThat(((FirmwareValidationException) e).offendingRanges())
                        .containsExactly(new AddressRange(0x1FFF_C000L, 0x1FFF_C010L)));
    }

    @Test
    void everyOffendingRangeIsListed() {
        FirmwareImage image = image(bytesAt(0x07FF_FFF0L, 0x20), bytesAt(0x080F_FFF0L, 0x20), bytesAt(0x2000_0000L, 4));
        assertThat(FirmwareValidator.unwriteableRanges(image, F407)).containsExactly(
                new AddressRange(0x07FF_FFF0L, 0x0800_0000L),
                new AddressRange(0x0810_0000L, 0x0810_0010L),
                new AddressRange(0x2000_0000L, 0x2000_0004L));
        assertThatThrownBy(() -> FirmwareValidator.validate(image, F407))
                .hasMessageContaining("0x07FFFFF0..0x07FFFFFF (16 bytes), 0x08100000..0x0810000F (16 bytes), "
                        + "0x20000000..0x20000003 (4 bytes)");
    }

    @Test
    void readableButNotWriteableMemoryIsRejected() {
        FirmwareImage image = image(bytesAt(0xFFFF_0000L, 4));
        assertThat(FirmwareValidator.unwriteableRanges(image, List.of(READ_ONLY)))
                .containsExactly(new AddressRange(0xFFFF_0000L, 0xFFFF_0004L));
    }

    @Test
    void erasePlanOnTheF407MixedSectorSizes() {
        // Ends one byte into sector 1, then a byte in the 64 KiB sector 4, then across sectors 5/6.
        FirmwareImage image = image(bytesAt(0x0800_0000L, 0x4001), bytesAt(0x0801_FFFFL, 1),
                bytesAt(0x0803_FFFFL, 2));
        ErasePlan plan = ErasePlan.of(image, F407);
        assertThat(plan.sectors()).extracting(Sector::start).containsExactly(0x0800_0000L, 0x0800_4000L,
                0x0801_0000L, 0x0802_0000L, 0x0804_0000L);
        assertThat(plan.totalBytes()).isEqualTo(2 * 16 * 1024 + 64 * 1024 + 2 * 128 * 1024);
    }

    @Test
    void erasePlanOnTwoKibPages() {
        FirmwareImage image = image(bytesAt(0x0800_0800L, 0x801), bytesAt(0x0800_1800L, 16));
        ErasePlan f1 = ErasePlan.of(image, List.of(F1_PAGES));
        assertThat(f1.sectors()).extracting(Sector::start).containsExactly(0x0800_0800L, 0x0800_1000L, 0x0800_1800L);
        assertThat(f1.totalBytes()).isEqualTo(3 * 2048);
        assertThat(ErasePlan.of(image, List.of(L4_PAGES))).isEqualTo(f1);
    }

    @Test
    void twoSegmentsInOnePageEraseItOnce() {
        FirmwareImage image = image(bytesAt(0x0800_0000L, 16), bytesAt(0x0800_0100L, 16));
        assertThat(ErasePlan.of(image, List.of(F1_PAGES)).sectors()).hasSize(1);
    }

    @Test
    void imagePastTheLastPageIsRejectedButItsFittingPartIsPlanned() {
        FirmwareImage image = image(bytesAt(0x0803_FFF0L, 0x20));
        assertThatThrownBy(() -> FirmwareValidator.validate(image, List.of(F1_PAGES)))
                .hasMessageContaining("0x08040000..0x0804000F (16 bytes)");
        assertThat(ErasePlan.of(image, List.of(F1_PAGES)).sectors()).extracting(Sector::start)
                .containsExactly(0x0803_F800L);
    }

    @Test
    void aSegmentEndingExactlyAtTheEndOfWriteableMemoryFits() {
        FirmwareImage image = image(bytesAt(0x080F_FFF0L, 16), bytesAt(0x1FFF_C000L, 16));
        assertThat(FirmwareValidator.unwriteableRanges(image, F407)).isEmpty();
        assertThat(FirmwareValidator.unwriteableRanges(image, List.of(F407_OPTION_BYTES, F407_FLASH))).isEmpty();
    }

    @Test
    void touchingOffendingRangesOfTwoSegmentsAreReportedAsOne() {
        FirmwareImage image = image(bytesAt(0x2000_0000L, 4), bytesAt(0x2000_0004L, 4));
        assertThat(FirmwareValidator.unwriteableRanges(image, F407))
                .containsExactly(new AddressRange(0x2000_0000L, 0x2000_0008L));
    }

    @Test
    void writeableRegionsAreSortedAndTouchingOnesCoalesced() {
        MemoryLayout low = MemoryLayout.parse("@Low /0x08000000/02*002Kg");
        MemoryLayout high = MemoryLayout.parse("@High /0x08001000/02*002Kg");
        assertThat(FirmwareValidator.writeableRanges(List.of(high, F407_OPTION_BYTES, low))).containsExactly(
                new AddressRange(0x0800_0000L, 0x0800_2000L), new AddressRange(0x1FFF_C000L, 0x1FFF_C010L));
    }

    @Test
    void onlyTheFirstEightOffendingRangesAreSpelledOut() {
        List<AddressRange> eight = java.util.stream.LongStream.range(0, 8)
                .mapToObj(i -> new AddressRange(i * 16, i * 16 + 1)).toList();
        assertThat(new FirmwareValidationException(eight).getMessage())
                .endsWith("0x00000070..0x00000070 (1 bytes)").doesNotContain("more");
        List<AddressRange> ten = java.util.stream.LongStream.range(0, 10)
                .mapToObj(i -> new AddressRange(i * 16, i * 16 + 1)).toList();
        assertThat(new FirmwareValidationException(ten).getMessage())
                .startsWith("image has bytes outside the device's writeable memory: 0x00000000..0x00000000 (1 bytes), ")
                .endsWith("0x00000070..0x00000070 (1 bytes) and 2 more ranges");
        assertThat(new FirmwareValidationException(ten).offendingRanges()).hasSize(10);
    }

    @Test
    void aSegmentStartingRightAfterARegionNeedsNoSectorOfIt() {
        FirmwareImage image = image(bytesAt(0x0810_0000L, 16));
        assertThat(ErasePlan.of(image, F407).sectors()).isEmpty();
        assertThat(ErasePlan.of(image, F407).sectorCount()).isZero();
    }

    @Test
    void aSectorSharedBySegmentsIsErasedOnceWhateverTheLayoutOrder() {
        MemoryLayout low = MemoryLayout.parse("@Low /0x08000000/02*002Kg");
        MemoryLayout high = MemoryLayout.parse("@High /0x08001000/02*002Kg");
        // The first segment spans both layouts; the second falls in the sector the first ended in.
        FirmwareImage image = image(bytesAt(0x0800_0FF0L, 0x20), bytesAt(0x0800_1100L, 16));
        ErasePlan plan = ErasePlan.of(image, List.of(high, low));
        assertThat(plan.sectors()).extracting(Sector::start).containsExactly(0x0800_0800L, 0x0800_1000L);
        assertThat(plan.sectorCount()).isEqualTo(2);
        assertThat(plan.totalBytes()).isEqualTo(2 * 2048);
    }
}
