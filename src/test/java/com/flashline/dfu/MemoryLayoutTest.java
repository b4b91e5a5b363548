package com.flashline.dfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.error.FailureCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DfuSe layout parser on strings real STM32 ROMs report (as listed by {@code dfu-util -l}). */
class MemoryLayoutTest {

    private static final int K = 1024;

    @Test
    void stm32F405InternalFlashHasMixedSectorSizes() {
        MemoryLayout layout = MemoryLayout.parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");

        assertThat(layout.name()).isEqualTo("Internal Flash");
        assertThat(layout.regions()).containsExactly(
                new MemoryRegion(0x0800_0000L, 4, 16 * K, 7),
                new MemoryRegion(0x0801_0000L, 1, 64 * K, 7),
                new MemoryRegion(0x0802_0000L, 7, 128 * K, 7));
        assertThat(layout.sectors()).hasSize(12);
        assertThat(layout.sectorAt(0x0802_1234L)).contains(new Sector(0x0802_0000L, 128 * K, 7));
        assertThat(layout.contains(0x080F_FFFFL)).isTrue();
        assertThat(layout.contains(0x0810_0000L)).isFalse();
        assertThat(layout.allows(0x0800_0000L, 1024 * K, MemoryRegion.ERASABLE | MemoryRegion.WRITEABLE)).isTrue();
    }

    @Test
    void stm32F4OptionBytesAndOtpAreReadWriteButNotErasable() {
        MemoryLayout options = MemoryLayout.parse("@Option Bytes  /0x1FFFC000/01*016 e");
        MemoryLayout otp = MemoryLayout.parse("@OTP Memory /0x1FFF7800/01*512 e,01*016 e");

        assertThat(options.regions()).containsExactly(new MemoryRegion(0x1FFF_C000L, 1, 16, 5));
        assertThat(options.regions().get(0).erasable()).isFalse();
        assertThat(options.regions().get(0).writeable()).isTrue();
        assertThat(otp.regions()).containsExactly(new MemoryRegion(0x1FFF_7800L, 1, 512, 5),
                new MemoryRegion(0x1FFF_7A00L, 1, 16, 5));
    }

    @Test
    void stm32F072HasTwoKilobytePagesWithFourDigitSizes() {
        MemoryLayout layout = MemoryLayout.parse("@Internal Flash  /0x08000000/064*0002Kg");

        assertThat(layout.regions()).containsExactly(new MemoryRegion(0x0800_0000L, 64, 2 * K, 7));
        assertThat(MemoryLayout.parse("@Option Bytes  /0x1FFFF800/01*016 e").start()).isEqualTo(0x1FFF_F800L);
    }

    @Test
    void stm32F105F107ConnectivityLineHas128PagesOfTwoKilobytes() {
        MemoryLayout layout = MemoryLayout.parse("@Internal Flash  /0x08000000/128*002Kg");

        assertThat(layout.regions()).containsExactly(new MemoryRegion(0x0800_0000L, 128, 2 * K, 7));
        assertThat(layout.regions().get(0).end()).isEqualTo(0x0804_0000L);
    }

    @Test
    void stm32F74xHasLargeSectors() {
        MemoryLayout layout = MemoryLayout.parse("@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg");

        assertThat(layout.sectors()).extracting(Sector::size)
                .containsExactly(32 * K, 32 * K, 32 * K, 32 * K, 128 * K, 256 * K, 256 * K, 256 * K);
        assertThat(layout.sectorAt(0x0804_0000L)).contains(new Sector(0x0804_0000L, 256 * K, 7));
    }

    @Test
    void stm32F72xWritesTheSixtyFourKilobyteSectorWithTwoDigits() {
        MemoryLayout layout = MemoryLayout.parse("@Internal Flash  /0x08000000/04*016Kg,01*64Kg,03*128Kg");

        assertThat(layout.regions().get(1)).isEqualTo(new MemoryRegion(0x0801_0000L, 1, 64 * K, 7));
    }

    @Test
    void stm32L452HasFiveHundredTwelvePagesAndOtp() {
        MemoryLayout flash = MemoryLayout.parse("@Internal Flash  /0x08000000/512*0002Kg");
        MemoryLayout otp = MemoryLayout.parse("@OTP Memory /0x1FFF7000/01*0001Kg");

        assertThat(flash.regions()).containsExactly(new MemoryRegion(0x0800_0000L, 512, 2 * K, 7));
        assertThat(otp.regions()).containsExactly(new MemoryRegion(0x1FFF_7000L, 1, K, 7));
        assertThat(MemoryLayout.parse("@Option Bytes  /0x1FFF7800/01*040 e").regions().get(0).sectorSize())
                .isEqualTo(40);
    }

    @Test
    void stm32L4PlusOptionBytesSpanTwoBlocks() {
        MemoryLayout options = MemoryLayout.parse("@Option Bytes  /0x1FF00000/01*040 e/0x1FF01000/01*040 e");

        assertThat(options.regions()).containsExactly(new MemoryRegion(0x1FF0_0000L, 1, 40, 5),
                new MemoryRegion(0x1FF0_1000L, 1, 40, 5));
        assertThat(options.contains(0x1FF0_0800L)).isFalse();
        assertThat(MemoryLayout.parse("@Internal Flash  /0x08000000/512*0004Kg").regions().get(0).size())
                .isEqualTo(2048 * K);
        assertThat(MemoryLayout.parse("@OTP Memory /0x1FFF7000/01*0001Ke").regions().get(0).attributes()).isEqualTo(5);
    }

    @Test
    void stm32G474DualBankOptionBytesAndFlash() {
        MemoryLayout options = MemoryLayout.parse("@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e");
        MemoryLayout flash = MemoryLayout.parse("@Internal Flash   /0x08000000/256*02Kg");

        assertThat(options.name()).isEqualTo("Option Bytes");
        assertThat(options.regions()).hasSize(2);
        assertThat(flash.regions()).containsExactly(new MemoryRegion(0x0800_0000L, 256, 2 * K, 7));
    }

    @Test
    void stm32H743HasSixteenSectorsOf128K() {
        MemoryLayout layout = MemoryLayout.parse("@Internal Flash   /0x08000000/16*128Kg");

        assertThat(layout.regions()).containsExactly(new MemoryRegion(0x0800_0000L, 16, 128 * K, 7));
    }

    @Test
    void stm32L0WritesPageSizesWithoutAMultiplier() {
        // STM32L083: 1536 pages of 128 bytes; the attribute follows the digits directly.
        MemoryLayout flash = MemoryLayout.parse("@Internal Flash  /0x08000000/1536*128g");
        MemoryLayout eeprom = MemoryLayout.parse("@DATA Memory /0x08080000/2*3Ke");

        assertThat(flash.regions()).containsExactly(new MemoryRegion(0x0800_0000L, 1536, 128, 7));
        assertThat(eeprom.regions()).containsExactly(new MemoryRegion(0x0808_0000L, 2, 3 * K, 5));
        assertThat(MemoryLayout.parse("@Option Bytes  /0x1FF80000/01*032 e").regions().get(0).sectorSize())
                .isEqualTo(32);
    }

    @Test
    void deviceFeatureAltOfBootloaderV21() {
        assertThat(MemoryLayout.parse("@Device Feature/0xFFFF0000/01*004 e").regions())
                .containsExactly(new MemoryRegion(0xFFFF_0000L, 1, 4, 5));
    }

    @Test
    void readOnlyLeadingSectorsAreNotErasable() {
        MemoryLayout layout = MemoryLayout.parse("@Internal Flash  /0x08000000/04*016Ka,01*064Kg,07*128Kg");

        assertThat(layout.allows(0x0800_0000L, 16, MemoryRegion.ERASABLE)).isFalse();
        assertThat(layout.allows(0x0801_0000L, 16, MemoryRegion.ERASABLE)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Internal Flash  /0x08000000/04*016Kg  | starts with '@'",
        "@Internal Flash                       | no '/start/' address",
        "@  /0x08000000/04*016Kg               | empty memory name",
        "@Flash /0x0800000G/04*016Kg           | bad start address '0x0800000G'",
        "@Flash /08000000/04*016Kg             | want 0x followed by up to 8 hex digits",
        "@Flash /0x08000000/04016Kg            | bad sector group '04016Kg'",
        "@Flash /0x08000000/04*016Xg           | unknown size multiplier 'X'",
        "@Flash /0x08000000/04*016Kz           | unknown sector attribute 'z'",
        "@Flash /0x08000000/                   | bad sector group ''",
        "@Flash /0x08000000/04*016Kg/0x08010000 | expected '/start/sectors' pairs",
        "@Flash /0x08000000/04*016Kg/0x08000000/01*016Kg | regions overlap at 0x8000000",
        "@Flash /0xFFFFF000/04*016Kg           | runs past the 32-bit address space",
        "@Flash /0x08000000/00*016Kg           | empty or oversized sector group",
        "@Flash /0x08000000/x4*016Kg           | bad number 'x4'",
    })
    void badStringsFailWithAMessageNamingTheProblem(String layout, String problem) {
        assertThatThrownBy(() -> MemoryLayout.parse(layout))
                .isInstanceOfSatisfying(MemoryLayoutException.class, e -> {
                    assertThat(e.getMessage()).contains(problem).contains(layout.strip());
                    assertThat(e.layout()).isEqualTo(layout.strip());
                    assertThat(e.errorCode()).isEqualTo(FailureCode.DFU_BAD_LAYOUT);
                });
    }

    @Test
    void aMissingStringIsAClearError() {
        assertThatThrownBy(() -> MemoryLayout.parse(null)).isInstanceOf(MemoryLayoutException.class)
                .hasMessageContaining("no memory layout string");
    }

    /** Found writing MemoryLayoutFuzzTest (its invariants): Long.parseLong took the sign, so the region started at -1. */
    @Test
    void aSignedStartAddressIsRefused() {
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x-1/01*001 g")).isInstanceOf(MemoryLayoutException.class)
                .hasMessageContaining("bad start address '0x-1'");
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x+8000000/01*001 g"))
                .isInstanceOf(MemoryLayoutException.class).hasMessageContaining("bad start address");
    }

    /**
     * Found writing MemoryLayoutFuzzTest (its invariants): a device may declare almost 2^32 one-byte sectors, which
     * {@link MemoryLayout#sectors()} would have built one object each.
     */
    @Test
    void aLayoutOfMoreThanMaxSectorsIsRefused() {
        assertThat(MemoryLayout.parse("@F/0x0/65536*1Bg").sectors()).hasSize(MemoryLayout.MAX_SECTORS);
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x0/65536*1Bg,1*1Bg"))
                .isInstanceOf(MemoryLayoutException.class).hasMessageContaining("more than 65536 sectors");
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x0/9999999*1Bg,9999999*1Bg"))
                .isInstanceOf(MemoryLayoutException.class).hasMessageContaining("more than 65536 sectors");
    }

    @Test
    void aLayoutLongerThanAUsbStringCouldHoldIsRefused() {
        String longest = "@F/0x08000000/01*016Kg" + " ".repeat(MemoryLayout.MAX_LENGTH - 22);
        assertThat(MemoryLayout.parse(longest).regions()).hasSize(1);
        assertThatThrownBy(() -> MemoryLayout.parse(longest + " ")).isInstanceOf(MemoryLayoutException.class)
                .hasMessageContaining("longer than 1024 characters");
    }

    @Test
    void aGroupWithoutMultiplierOrAttributeIsRefusedAsSuch() {
        assertThatThrownBy(() -> MemoryLayout.parse("@Flash/0x08000000/04*016"))
                .isInstanceOf(MemoryLayoutException.class).hasMessageContaining("bad sector group '04*016'");
    }

    @Test
    void aRegionMayEndExactlyAtTheTopOfTheAddressSpace() {
        MemoryLayout top = MemoryLayout.parse("@Top/0xFFFF0000/01*064Kg");

        assertThat(top.contains(0xFFFF_FFFFL)).isTrue();
        assertThatThrownBy(() -> MemoryLayout.parse("@Top/0xFFFF0001/01*064Kg"))
                .isInstanceOf(MemoryLayoutException.class).hasMessageContaining("runs past the 32-bit address space");
    }
}
