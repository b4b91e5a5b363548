package com.flashline.rom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.PollPolicy;
import com.flashline.dfu.PollPolicySelector;
import com.flashline.dfu.UsbDeviceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RomTableTest {

    private static final String[] F407 = {"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
        "@Option Bytes  /0x1FFFC000/01*016 e", "@OTP Memory /0x1FFF7800/01*512 e,01*016 e"};
    private static final String[] F746 = {"@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg",
        "@Option Bytes  /0x1FFF0000/01*032 e"};
    private static final String[] L476 = {"@Internal Flash  /0x08000000/0512*0002Kg",
        "@Option Bytes  /0x1FFF7800/01*040 e/0x1FFFF800/01*040 e"};
    private static final String[] H743 = {"@Internal Flash   /0x08000000/16*128Kg"};
    private static final String[] F107 = {"@Internal Flash  /0x08000000/128*002Kg", "@Option Bytes  /0x1FFFF800/01*016 e"};

    private final RomTable table = RomTable.standard();

    private static UsbDeviceInfo st(int bcdDevice, String product) {
        return new UsbDeviceInfo(0x0483, 0xDF11, bcdDevice, "STMicroelectronics", product, "205A3B6E5652", "1-1");
    }

    private static List<DfuAltSetting> alts(String... names) {
        return IntStream.range(0, names.length).mapToObj(i -> new DfuAltSetting(0, i, names[i])).toList();
    }

    private RomBehaviour identify(String... names) {
        return table.identify(st(0x2200, "STM32  BOOTLOADER"), alts(names));
    }

    @Test
    void eachFamilyIsRecognisedFromWhatItsRomReportsOverUsb() {
        assertThat(identify(F407)).isSameAs(RomTable.STM32F2_F4);
        assertThat(identify(F746)).isSameAs(RomTable.STM32F7);
        assertThat(identify(L476)).isSameAs(RomTable.STM32L4_G4);
        assertThat(identify(H743)).isSameAs(RomTable.STM32H7);
        assertThat(table.identify(st(0x2200, "STM32 0x418 DFU Bootloade"), alts(F107)))
                .isSameAs(RomTable.STM32F105_F107);
        assertThat(identify(F107)).isSameAs(RomTable.STM32F0_F3);
    }

    @Test
    void anUnknownOrForeignRomIsPolledAsDfu11SaysAndHasNoUniqueId() {
        UsbDeviceInfo foreign = new UsbDeviceInfo(0x1209, 0xDF11, 0x2200, "x", "y", "z", "1-1");

        assertThat(table.identify(foreign, alts(F407))).isSameAs(RomTable.UNKNOWN);
        assertThat(identify("@Internal Flash  /0x00200000/08*008Kg")).isSameAs(RomTable.UNKNOWN);
        assertThat(RomTable.UNKNOWN.pollPolicy(0x2200)).isEqualTo(PollPolicy.SPEC_LITERAL);
        assertThat(RomTable.UNKNOWN.knownUniqueId()).isEmpty();
        assertThat(RomTable.UNKNOWN.clearStatusOutsideError()).isEqualTo(ClearStatusOutsideError.STALLS);
    }

    @Test
    void theF4RomHoldsAnEarlyGetStatusBehindFixedTimeouts() {
        RomBehaviour f4 = RomTable.STM32F2_F4;

        assertThat(f4.earlyStatus()).isEqualTo(EarlyStatus.HELD);
        assertThat(f4.pollTimeouts().reported(false, Duration.ofSeconds(16))).isEqualTo(Duration.ofMillis(100));
        assertThat(f4.pollTimeouts().reported(true, Duration.ofMillis(33))).isEqualTo(Duration.ofMillis(104));
        // held up to the longest erase, a 32 s mass erase at x8
        assertThat(f4.pollPolicy(0x2200)).isEqualTo(PollPolicy.heldStatus(Duration.ofSeconds(32)));
        assertThat(f4.flash().programTime(2048)).isEqualTo(Duration.ofNanos(32_768_000));
        assertThat(f4.flash().sectorErase(128 * 1024)).contains(Duration.ofSeconds(2));
        assertThat(f4.flash().knownMassErase()).contains(Duration.ofSeconds(16));
    }

    @Test
    void aRomOfTheFamilyWithAnotherBootloaderVersionIsPolledSpecLiterally() {
        assertThat(RomTable.STM32F2_F4.pollPolicy(0x2100)).isEqualTo(PollPolicy.SPEC_LITERAL);
        // but it is still the family, for its unique ID and flash times
        assertThat(table.identify(st(0x2100, "STM32  BOOTLOADER"), alts(F407))).isSameAs(RomTable.STM32F2_F4);
    }

    @Test
    void theL4ReportsTooShortAndStallsWhileErasingWhichSpecLiteralPollingCopesWith() {
        RomBehaviour l4 = RomTable.STM32L4_G4;

        assertThat(l4.earlyStatus()).isEqualTo(EarlyStatus.STALLS_WHILE_ERASING);
        assertThat(l4.pollTimeouts().reported(false, Duration.ofMillis(22))).isEqualTo(Duration.ofMillis(5));
        assertThat(l4.pollTimeouts().reported(false, Duration.ofMillis(2))).isEqualTo(Duration.ofMillis(2));
        assertThat(l4.pollPolicy(0x2200)).isEqualTo(PollPolicy.SPEC_LITERAL);
    }

    @Test
    void theH7RecoversItsSecondBankWedgeAfterTwiceTheLongestSectorErase() {
        RomBehaviour h7 = RomTable.STM32H7;

        assertThat(h7.knownWedge()).contains(new EraseWedge(0x0810_0000L, Duration.ofMillis(4400)));
        assertThat(h7.flash().longestErase()).contains(Duration.ofMillis(2200));
        assertThat(h7.clearStatusOutsideError()).isEqualTo(ClearStatusOutsideError.ENTERS_ERROR);
        assertThat(h7.pollPolicy(0x2200)).isEqualTo(PollPolicy.wedgeRecovering(Duration.ofMillis(4400)));
    }

    @Test
    void theF0AndF1RomsReportConstantSerials() {
        assertThat(RomTable.STM32F105_F107.knownConstantSerial()).contains("STM32");
        assertThat(RomTable.STM32F0_F3.knownConstantSerial()).contains("FFFFFFFEFFFF");
        assertThat(RomTable.STM32F2_F4.knownConstantSerial()).isEmpty();
    }

    @Test
    void theStationSettingForcesSpecLiteralPollingForAllOrForOneFamily() {
        UsbDeviceInfo f4 = st(0x2200, "STM32  BOOTLOADER");
        PollPolicySelector byTable = table.pollPolicies();
        PollPolicySelector forcedEverywhere = table.pollPolicies(PollPolicyChoice.SPEC_LITERAL, Map.of());
        PollPolicySelector forcedForF4 = table.pollPolicies(PollPolicyChoice.ROM_TABLE,
                Map.of("stm32f2_f4", PollPolicyChoice.SPEC_LITERAL));
        PollPolicySelector tableForH7Only = table.pollPolicies(PollPolicyChoice.SPEC_LITERAL,
                Map.of("STM32H7", PollPolicyChoice.ROM_TABLE));

        assertThat(byTable.select(f4, alts(F407)).name()).isEqualTo("HELD_STATUS");
        assertThat(forcedEverywhere.select(f4, alts(F407))).isEqualTo(PollPolicy.SPEC_LITERAL);
        assertThat(forcedForF4.select(f4, alts(F407))).isEqualTo(PollPolicy.SPEC_LITERAL);
        assertThat(forcedForF4.select(f4, alts(H743)).name()).isEqualTo("WEDGE_RECOVERY");
        assertThat(tableForH7Only.select(f4, alts(F407))).isEqualTo(PollPolicy.SPEC_LITERAL);
        assertThat(tableForH7Only.select(f4, alts(H743)).name()).isEqualTo("WEDGE_RECOVERY");
    }

    @Test
    void aFamilyTheTableDoesNotKnowIsRejectedWithTheKnownOnes() {
        assertThatThrownBy(() -> table.pollPolicies(PollPolicyChoice.ROM_TABLE,
                Map.of("STM32F9", PollPolicyChoice.SPEC_LITERAL)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STM32F9").hasMessageContaining("STM32F2_F4").hasMessageContaining("UNKNOWN");
    }

    @Test
    void rowsAddedToTheTableAreTriedFirst() {
        RomBehaviour exact = RomBehaviour.of("EXACT_F4", "F4 with exact timeouts",
                rom -> rom.hasOptionBytesAt(0x1FFF_C000L));

        assertThat(table.with(exact).identify(st(0x2200, "x"), alts(F407))).isSameAs(exact);
        assertThat(table.with(exact).row("exact_f4")).contains(exact);
        assertThat(table.row("stm32f2-f4")).contains(RomTable.STM32F2_F4);
        assertThat(table.row("STM32F2F4")).contains(RomTable.STM32F2_F4);
    }

    @Test
    void flashTimesRoundProgrammingUpToWholeUnits() {
        FlashTimes l4 = RomTable.STM32L4_G4.flash();

        assertThat(l4.programTime(9)).isEqualTo(Duration.ofNanos(2 * 81_690L));
        assertThat(l4.longestErase()).isEmpty(); // no maximum recorded
        assertThat(RomTable.STM32L0.flash().knownMassErase()).isEmpty();
        assertThatThrownBy(() -> RomTable.STM32L0.flash().programTime(4)).isInstanceOf(IllegalStateException.class);
    }
}
