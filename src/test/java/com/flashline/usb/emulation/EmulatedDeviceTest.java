package com.flashline.usb.emulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EmulatedDeviceTest {

    private final FakeDfuDevice backend = new FakeDfuDevice("3276385A3336");
    private final EmulatedDevice device = new EmulatedDevice(DeviceSpec.of(backend), backend);

    @Test
    void configurationPutsTheFunctionalDescriptorAfterTheLastAltSetting() {
        byte[] config = device.configDescriptor();
        assertThat((config[2] & 0xFF) | (config[3] & 0xFF) << 8).isEqualTo(config.length);
        assertThat(config.length).isEqualTo(9 + 2 * 9 + DfuFunctionalDescriptor.LENGTH);
        byte[] tail = Arrays.copyOfRange(config, config.length - DfuFunctionalDescriptor.LENGTH, config.length);
        assertThat(DfuFunctionalDescriptor.decode(tail)).isEqualTo(backend.functionalDescriptor());
        assertThat(config[9 + 9 + 3]).as("second interface descriptor's bAlternateSetting").isEqualTo((byte) 1);
    }

    @Test
    void stringRequestsAnswerIdentityAndAltNamesCutToWLength() {
        EmulatedDevice.Answer serial = device.answer(new ControlSetup(0x80, 6, 0x0303, 0x0409, 255), new byte[0]);
        assertThat(new String(serial.data(), 2, serial.data().length - 2, StandardCharsets.UTF_16LE)).isEqualTo("3276385A3336");
        EmulatedDevice.Answer alt1 = device.answer(new ControlSetup(0x80, 6, 0x0305, 0x0409, 255), new byte[0]);
        assertThat(new String(alt1.data(), 2, alt1.data().length - 2, StandardCharsets.UTF_16LE))
                .isEqualTo(FakeDfuDevice.STM32F4_ALT_NAMES.get(1));
        assertThat(device.answer(new ControlSetup(0x80, 6, 0x0304, 0x0409, 8), new byte[0]).data()).hasSize(8);
        assertThat(device.answer(new ControlSetup(0x80, 6, 0x0309, 0x0409, 255), new byte[0]).status())
                .isEqualTo(EmulatedDevice.STALL);
    }

    @Test
    void truncatedStringsLoseTheirLastByteButKeepBLength() {
        EmulatedDevice quirky = new EmulatedDevice(DeviceSpec.of(backend).withTruncatedStrings(), backend);
        byte[] d = quirky.answer(new ControlSetup(0x80, 6, 0x0303, 0x0409, 255), new byte[0]).data();
        assertThat(d).hasSize(2 + 24 - 1);
        assertThat(d[0] & 0xFF).isEqualTo(2 + 24);
    }

    @Test
    void classRequestsReachTheBackendAndItsExceptionsBecomeWireOutcomes() {
        ControlSetup getStatus = DfuRequest.GETSTATUS.setup(0, 0, 6);
        assertThat(device.answer(getStatus, new byte[0]).data()).containsExactly(0, 0, 0, 0, 2, 0);
        assertThat(backend.received()).extracting(FakeDfuDevice.Received::request).containsExactly(DfuRequest.GETSTATUS);

        backend.stallOn(DfuRequest.UPLOAD).ignore(DfuRequest.GETSTATE);
        assertThat(device.answer(DfuRequest.UPLOAD.setup(2, 0, 64), new byte[0]).status()).isEqualTo(EmulatedDevice.STALL);
        assertThat(device.answer(DfuRequest.GETSTATE.setup(0, 0, 1), new byte[0]).answered()).isFalse();
    }

    @Test
    void setInterfaceSelectsTheBackendsAltSettingAndRejectsUnknownOnes() {
        assertThat(device.selectAltSetting(0, 1)).isEqualTo(EmulatedDevice.OK);
        assertThat(backend.altSetting()).isEqualTo(1);
        assertThat(device.answer(new ControlSetup(0x81, 10, 0, 0, 1), new byte[0]).data()).containsExactly(1);
        assertThat(device.selectAltSetting(0, 2)).isEqualTo(EmulatedDevice.STALL);
        assertThat(backend.altSetting()).isEqualTo(1);
    }
}
