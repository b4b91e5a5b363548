package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.StallException;
import com.flashline.dfu.VirtualClock;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RomDescriptorsTest {

    static java.util.List<ChipProfile> profiles() {
        return ChipProfile.all();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void configurationDescriptorListsEveryAltAndEndsWithTheFunctionalDescriptor(ChipProfile profile) {
        SimulatedStm32 board = SimulatedStm32.builder(profile).clock(new VirtualClock()).seed(9).build();
        RomDescriptors d = board.descriptors();

        byte[] device = d.device();
        assertThat(device).hasSize(18);
        assertThat(u16(device, 8)).isEqualTo(0x0483);
        assertThat(u16(device, 10)).isEqualTo(0xDF11);
        assertThat(u16(device, 12)).isEqualTo(profile.bcdDevice());

        byte[] config = d.configuration();
        assertThat(u16(config, 2)).isEqualTo(config.length);
        int alts = 0;
        for (int at = 9; at < config.length; at += config[at] & 0xFF) {
            if (config[at + 1] == RomDescriptors.TYPE_INTERFACE) {
                assertThat(config[at + 3]).isEqualTo((byte) alts);
                assertThat(config[at + 5] & 0xFF).isEqualTo(0xFE);
                String name = d.text(config[at + 8] & 0xFF).orElseThrow();
                assertThat(name).isEqualTo(profile.altSettingNames().get(alts));
                alts++;
            }
        }
        assertThat(alts).isEqualTo(profile.altSettingNames().size());
        assertThat(DfuFunctionalDescriptor.find(Arrays.copyOfRange(config, 9, config.length)))
                .isEqualTo(profile.functionalDescriptor());

        byte[] serial = d.string(3).orElseThrow();
        assertThat(new String(serial, 2, serial.length - 2, StandardCharsets.UTF_16LE))
                .isEqualTo(board.serialNumber());
        assertThat(d.string(0).orElseThrow()).containsExactly(4, 3, 0x09, 0x04);
        assertThat(d.string(40)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void getDescriptorIsAnsweredInAnyDfuStateWithoutSideEffects(ChipProfile profile) {
        VirtualClock clock = new VirtualClock();
        SimulatedStm32 board = SimulatedStm32.builder(profile).clock(clock).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.upload(2, 16);
        assertThat(dfu.rawIn(0x80, 0x06, 0x0200, 0, 9)).hasSize(9).startsWith(9, 2);
        assertThat(dfu.rawIn(0x80, 0x06, 0x0302, 0x0409, 255))
                .isEqualTo(board.descriptors().string(2).orElseThrow());
        assertThatThrownBy(() -> dfu.rawIn(0x80, 0x06, 0x0363, 0x0409, 255)).isInstanceOf(StallException.class);
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_UPLOAD_IDLE);
        assertThat(board.violations()).isEmpty();
    }
}
