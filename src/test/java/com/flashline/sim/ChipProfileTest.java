package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.MemoryRegion;
import com.flashline.dfu.Sector;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.dfu.VirtualClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ChipProfileTest {

    static List<ChipProfile> profiles() {
        return ChipProfile.all();
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void everyAltSettingNameParsesAndTheFlashLayoutMatchesTheMemoryModel(ChipProfile profile) {
        SimulatedStm32 board = SimulatedStm32.builder(profile).clock(new VirtualClock()).build();
        DfuTransport t = board.connect();

        List<DfuAltSetting> alts = t.altSettings();
        assertThat(alts).extracting(DfuAltSetting::name).containsExactlyElementsOf(profile.altSettingNames());
        for (DfuAltSetting alt : alts) {
            assertThat(alt.interfaceNumber()).isZero();
            assertThat(MemoryLayout.parse(alt.name()).regions()).isNotEmpty();
        }
        MemoryLayout flash = alts.get(0).layout();
        assertThat(flash.name()).isEqualTo("Internal Flash");
        assertThat(flash.start()).isEqualTo(0x0800_0000L);
        assertThat(flash.sectors()).allMatch(s -> s.readable() && s.erasable() && s.writeable());
        MemoryLayout options = alts.get(1).layout();
        assertThat(options.name()).isEqualTo("Option Bytes");
        assertThat(options.regions()).extracting(MemoryRegion::start)
                .containsExactlyElementsOf(profile.optionBytes().blocks().stream()
                        .map(ChipProfile.OptionBlock::base).toList());
        assertThat(options.regions()).extracting(MemoryRegion::size)
                .containsExactlyElementsOf(profile.optionBytes().blocks().stream()
                        .map(b -> (long) b.size()).toList());
    }

    @Test
    void f407LayoutIsFourSixteenOneSixtyFourSevenOneTwentyEight() {
        List<Sector> sectors = ChipProfile.STM32F407.flashSectors();
        assertThat(sectors).hasSize(12);
        assertThat(sectors.get(3)).isEqualTo(new Sector(0x0800_C000L, 16 * 1024, 7));
        assertThat(sectors.get(4)).isEqualTo(new Sector(0x0801_0000L, 64 * 1024, 7));
        assertThat(sectors.get(11).end()).isEqualTo(0x0810_0000L);
        assertThat(ChipProfile.STM32F407.altSettingNames()).containsExactly(
                "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
                "@Option Bytes  /0x1FFFC000/01*016 e",
                "@OTP Memory /0x1FFF7800/01*512 e,01*016 e",
                "@Device Feature/0xFFFF0000/01*004 e");
    }

    @Test
    void f107AndL476Layouts() {
        assertThat(ChipProfile.STM32F107.flashSectors()).hasSize(128).allMatch(s -> s.size() == 2048);
        assertThat(ChipProfile.STM32F107.flash().end()).isEqualTo(0x0804_0000L);
        assertThat(ChipProfile.STM32F072.flash().end()).isEqualTo(0x0802_0000L);
        assertThat(ChipProfile.STM32L476.flashSectors()).hasSize(512).allMatch(s -> s.size() == 2048);
        assertThat(ChipProfile.STM32L476.flash().end()).isEqualTo(0x0810_0000L);
        assertThat(MemoryLayout.parse(ChipProfile.STM32L476.altSettingNames().get(1)).regions())
                .extracting(MemoryRegion::start).containsExactly(0x1FFF_7800L, 0x1FFF_F800L);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void deviceAndFunctionalDescriptorsAreTheRomOnes(ChipProfile profile) {
        DfuTransport t = SimulatedStm32.builder(profile).clock(new VirtualClock()).portPath("1-4.2").build().connect();
        UsbDeviceInfo info = t.deviceInfo();
        assertThat(info.vidPid()).isEqualTo("0483:df11");
        assertThat(info.bcdDevice()).isEqualTo(0x2200);
        assertThat(info.bootloaderVersion()).isEqualTo("2.2");
        assertThat(info.manufacturer()).isEqualTo("STMicroelectronics");
        assertThat(info.portPath()).isEqualTo("1-4.2");
        DfuFunctionalDescriptor fd = t.functionalDescriptor();
        assertThat(fd.bmAttributes()).isEqualTo(0x0B);
        assertThat(fd.canDownload()).isTrue();
        assertThat(fd.canUpload()).isTrue();
        assertThat(fd.willDetach()).isTrue();
        assertThat(fd.manifestationTolerant()).isFalse();
        assertThat(fd.transferSize()).isEqualTo(profile == ChipProfile.STM32H743 ? 1024 : 2048);
        assertThat(fd.bcdDfuVersion()).isEqualTo(0x011A);
        assertThat(DfuFunctionalDescriptor.decode(fd.encode())).isEqualTo(fd);
    }

    @Test
    void serialIsTwelveHexDigitsFromFortyEightUidBits() {
        byte[] uid = {0x20, 0x00, 0x30, 0x00, 0x0A, 'A', 'B', 'C', '1', '2', '3', '4'};
        // word0 0x00300020 + word2 0x34333231 = 0x34633251, then the upper half of word1 0x4342410A
        assertThat(ChipProfile.STM32F407.serialFor(uid)).isEqualTo("346332514342");
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(new VirtualClock())
                .uniqueId(uid).build();
        assertThat(board.connect().deviceInfo().serialNumber()).isEqualTo("346332514342");
    }

    @Test
    void f107ReportsTheConstantSerialAndAnyBoardMayOverrideIt() {
        assertThat(SimulatedStm32.builder(ChipProfile.STM32F107).clock(new VirtualClock()).build()
                .connect().deviceInfo().serialNumber()).isEqualTo("STM32");
        assertThat(SimulatedStm32.builder(ChipProfile.STM32F072).clock(new VirtualClock()).seed(3).build()
                .connect().deviceInfo().serialNumber()).isEqualTo("FFFFFFFEFFFF");
        assertThat(SimulatedStm32.builder(ChipProfile.STM32F407).clock(new VirtualClock()).serialNumber("3276")
                .build().connect().deviceInfo().serialNumber()).isEqualTo("3276");
    }

    @Test
    void seededUidsAreStableAndDistinct() {
        SimulatedStm32 a = SimulatedStm32.builder(ChipProfile.STM32F407).seed(7).build();
        SimulatedStm32 b = SimulatedStm32.builder(ChipProfile.STM32F407).seed(7).build();
        SimulatedStm32 c = SimulatedStm32.builder(ChipProfile.STM32F407).seed(8).build();
        assertThat(a.uniqueId()).isEqualTo(b.uniqueId()).isNotEqualTo(c.uniqueId());
        assertThat(a.serialNumber()).matches("[0-9A-F]{12}").isNotEqualTo(c.serialNumber());
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void uniqueIdAndFlashSizeAreReadableThroughReadMemory(ChipProfile profile) {
        VirtualClock clock = new VirtualClock();
        SimulatedStm32 board = SimulatedStm32.builder(profile).clock(clock).seed(42).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        assertThat(dfu.readAt(profile.uidAddress(), 12)).isEqualTo(board.uniqueId());
        byte[] size = dfu.readAt(profile.flashSizeRegisterAddress(), 2);
        assertThat((size[0] & 0xFF) | (size[1] & 0xFF) << 8).isEqualTo(profile.flash().size() / 1024);
        assertThat(new String(board.uniqueId(), 5, 7, StandardCharsets.US_ASCII)).matches("[0-9A-Z]{7}");
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void rejectsABadUid() {
        assertThatThrownBy(() -> SimulatedStm32.builder(ChipProfile.STM32F407).uniqueId(new byte[11]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 bytes");
    }
}
