package com.flashline.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.PollPolicy;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.rom.PollPolicyChoice;
import com.flashline.rom.RomTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** flashline.dfu.* as a station writes it, down to the policy the engine gets for an F4. */
class DfuPollPolicyPropertiesTest {

    private static final UsbDeviceInfo F4 = new UsbDeviceInfo(0x0483, 0xDF11, 0x2200, "STMicroelectronics",
            "STM32  BOOTLOADER", "1", "1-1");
    private static final List<DfuAltSetting> F4_LAYOUT = List.of(
            new DfuAltSetting(0, 0, "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg"),
            new DfuAltSetting(0, 1, "@Option Bytes  /0x1FFFC000/01*016 e"));

    private static FlashLineProperties.Dfu bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("flashline.dfu", FlashLineProperties.Dfu.class);
    }

    private static PollPolicy policyForAnF4(FlashLineProperties.Dfu dfu) {
        return RomTable.standard().pollPolicies(dfu.pollPolicy(), dfu.pollPolicyByFamily()).select(F4, F4_LAYOUT);
    }

    @Test
    void byDefaultTheRomTableDecides() {
        FlashLineProperties.Dfu dfu = bind(Map.of());

        assertThat(dfu.pollPolicy()).isEqualTo(PollPolicyChoice.ROM_TABLE);
        assertThat(policyForAnF4(dfu).name()).isEqualTo("HELD_STATUS");
    }

    @Test
    void specLiteralCanBeForcedForEveryRomOrForOneFamilyByItsRowId() {
        assertThat(policyForAnF4(bind(Map.of("flashline.dfu.poll-policy", "spec-literal"))))
                .isEqualTo(PollPolicy.SPEC_LITERAL);

        FlashLineProperties.Dfu perFamily = bind(Map.of("flashline.dfu.poll-policy-by-family.STM32F2_F4", "SPEC_LITERAL"));
        assertThat(perFamily.pollPolicyByFamily()).containsValue(PollPolicyChoice.SPEC_LITERAL);
        assertThat(policyForAnF4(perFamily)).isEqualTo(PollPolicy.SPEC_LITERAL);
    }
}
