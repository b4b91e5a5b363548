package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuSeDevice;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.TransferProgress;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.dfu.VirtualClock;
import com.flashline.dfu.DfuOptions;
import com.flashline.rom.RomBehaviour;
import com.flashline.rom.UniqueIdLocation;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimulatedStm32;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChipCatalogTest {

    private static final String BOOTLOADER = "STM32  BOOTLOADER";

    private final ChipCatalog catalog = ChipCatalog.standard();

    static List<ChipProfile> profiles() {
        return ChipProfile.all();
    }

    private static final Map<String, String> FAMILY_OF_PROFILE = Map.of(
            "STM32F407", ChipCatalog.F2_F4,
            "STM32F107", ChipCatalog.F1,
            "STM32L476", ChipCatalog.L4_G4,
            "STM32F072", ChipCatalog.F0_F3,
            "STM32H743", ChipCatalog.H7);

    @ParameterizedTest
    @MethodSource("profiles")
    void recognisesEverySimulatedRomAndReadsTheBoardsUniqueIdWhereTheFamilyKeepsIt(ChipProfile profile) {
        VirtualClock clock = new VirtualClock();
        SimulatedStm32 board = SimulatedStm32.builder(profile).clock(clock).seed(profile.name().hashCode()).build();
        DfuTransport transport = board.connect();

        ChipCatalog.ChipFamily family = catalog.recognise(transport.deviceInfo(), transport.altSettings()).orElseThrow();

        assertThat(family.name()).isEqualTo(FAMILY_OF_PROFILE.get(profile.name()));
        // The host reads the very row of the ROM table the simulated ROM is built from.
        assertThat(family.rom()).isSameAs(profile.rom());
        UniqueIdLocation uid = family.uniqueId();
        byte[] span = new byte[uid.span()];
        new DfuSeDevice(transport, clock, DfuOptions.DEFAULTS).read(uid.firstAddress(), span, 0, span.length,
                TransferProgress.NONE);
        assertThat(uid.extract(span)).isEqualTo(board.uniqueId());
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void recognisesRealRomStringsOfFamiliesTheSimulatorDoesNotModel() {
        assertThat(family("@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg",
                "@Option Bytes  /0x1FFF0000/01*032 e")).isEqualTo(ChipCatalog.F7);
        assertThat(family("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,03*128Kg",
                "@Option Bytes  /0x1FFF0000/01*032 e")).isEqualTo(ChipCatalog.F72X);
        assertThat(family("@Internal Flash  /0x08000000/16*128Kg")).isEqualTo(ChipCatalog.H7);
        assertThat(family("@Internal Flash  /0x08000000/0256*0002Kg",
                "@Option Bytes  /0x1FFF7800/01*048 e")).isEqualTo(ChipCatalog.L4_G4);
        assertThat(family("@Internal Flash  /0x08000000/1536*128 g",
                "@Option Bytes  /0x1FF80000/01*032 e")).isEqualTo(ChipCatalog.L0);
    }

    @Test
    void theL0UniqueIdIsPickedFromItsThreeScatteredWords() {
        UniqueIdLocation l0 = catalog.families().stream().filter(f -> f.name().equals(ChipCatalog.L0))
                .findFirst().orElseThrow().uniqueId();
        assertThat(l0.isContiguous()).isFalse();
        assertThat(l0.firstAddress()).isEqualTo(0x1FF8_0050L);
        assertThat(l0.span()).isEqualTo(0x18);
        byte[] span = new byte[0x18];
        IntStream.range(0, span.length).forEach(i -> span[i] = (byte) i);

        assertThat(l0.extract(span)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 0x14, 0x15, 0x16, 0x17);
    }

    @Test
    void aRomOfAnotherVendorIsNotTakenForAnStmDespiteAnStLayout() {
        UsbDeviceInfo other = new UsbDeviceInfo(0x1209, 0xDF11, 0x2200, "Someone", BOOTLOADER, "1", "1-1");

        assertThat(catalog.recognise(other, alts(ChipProfile.STM32F407.altSettingNames().toArray(String[]::new))))
                .isEmpty();
    }

    @Test
    void anUnknownLayoutIsNotRecognised() {
        assertThat(catalog.recognise(device(BOOTLOADER), alts("@Internal Flash  /0x00200000/08*008Kg",
                "@Option Bytes  /0x40000000/01*016 e"))).isEmpty();
        assertThat(catalog.recognise(device(BOOTLOADER), alts("not a layout at all"))).isEmpty();
    }

    @Test
    void entriesAddedToTheCatalogueAreTriedFirst() {
        RomBehaviour custom = RomBehaviour.of("CUSTOM_F4", "Custom F4", rom -> rom.hasOptionBytesAt(0x1FFF_C000L))
                .withUniqueId(UniqueIdLocation.contiguous(0x1FFF_0000L));
        ChipCatalog extended = catalog.with(custom);

        assertThat(extended.recognise(device(BOOTLOADER), alts(ChipProfile.STM32F407.altSettingNames()
                .toArray(String[]::new))).map(ChipCatalog.ChipFamily::rom)).contains(custom);
        assertThat(extended.recognise(device(BOOTLOADER), alts("@Internal Flash  /0x08000000/16*128Kg"))
                .map(ChipCatalog.ChipFamily::name)).contains(ChipCatalog.H7);
    }

    @Test
    void aRowWithoutAUniqueIdAddressIsNoChipFamily() {
        RomBehaviour noUid = RomBehaviour.of("NO_UID", "Recognises everything, UID unknown", rom -> true);
        ChipCatalog withIt = new ChipCatalog(new com.flashline.rom.RomTable(List.of(noUid,
                com.flashline.rom.RomTable.STM32F2_F4)));

        assertThat(withIt.families()).extracting(ChipCatalog.ChipFamily::name).containsExactly(ChipCatalog.F2_F4);
        assertThat(withIt.recognise(device(BOOTLOADER), alts(ChipProfile.STM32F407.altSettingNames()
                .toArray(String[]::new)))).isEmpty();
    }

    private String family(String... altNames) {
        return catalog.recognise(device(BOOTLOADER), alts(altNames)).map(ChipCatalog.ChipFamily::name).orElse(null);
    }

    private static UsbDeviceInfo device(String product) {
        return new UsbDeviceInfo(0x0483, 0xDF11, 0x2200, "STMicroelectronics", product, "205A3B6E5652", "1-1");
    }

    private static List<DfuAltSetting> alts(String... names) {
        return IntStream.range(0, names.length).mapToObj(i -> new DfuAltSetting(0, i, names[i])).toList();
    }
}
