package com.flashline.dfu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every DFU 1.1 class request the engine sends, down to the SETUP bytes of AN3156. */
class DfuDeviceRequestTest {

    private final VirtualClock clock = new VirtualClock();
    private final FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
    private final DfuDevice device = new DfuDevice(fake, clock, DfuOptions.DEFAULTS);

    @Test
    void getStatusIsADeviceToHostClassRequestOfSixBytes() {
        DfuStatus status = device.getStatus();

        assertThat(fake.transfers).singleElement().satisfies(t ->
                assertThat(t.setup()).isEqualTo(new ControlSetup(0xA1, 0x03, 0, 0, 6)));
        assertThat(status).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_IDLE));
    }

    @Test
    void getStateIsADeviceToHostClassRequestOfOneByte() {
        fake.state = DfuState.DFU_UPLOAD_IDLE;

        assertThat(device.getState()).isEqualTo(DfuState.DFU_UPLOAD_IDLE);
        assertThat(fake.transfers.get(0).setup()).isEqualTo(new ControlSetup(0xA1, 0x05, 0, 0, 1));
    }

    @Test
    void clearStatusAndAbortAreHostToDeviceWithoutData() {
        fake.state = DfuState.DFU_ERROR;
        device.clearStatus();
        device.abort();

        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::setup).containsExactly(
                new ControlSetup(0x21, 0x04, 0, 0, 0), new ControlSetup(0x21, 0x06, 0, 0, 0));
        assertThat(fake.transfers).allSatisfy(t -> assertThat(t.data()).isEmpty());
    }

    @Test
    void downloadCarriesTheBlockNumberAndLength() {
        device.download(7, new byte[] {1, 2, 3});

        assertThat(fake.transfers.get(0).setup()).isEqualTo(new ControlSetup(0x21, 0x01, 7, 0, 3));
        assertThat(fake.transfers.get(0).data()).containsExactly(1, 2, 3);
        assertThat(device.knownState()).contains(DfuState.DFU_DNLOAD_SYNC);
    }

    @Test
    void uploadIsDeviceToHostWithBlockNumberAndLength() {
        byte[] data = device.upload(2, 16);

        assertThat(fake.transfers.get(0).setup()).isEqualTo(new ControlSetup(0xA1, 0x02, 2, 0, 16));
        assertThat(data).hasSize(16);
        assertThat(data[0]).isEqualTo(FakeDfuDevice.pattern(0x0800_0000L));
    }

    @Test
    void wIndexIsTheDfuInterfaceNumberFromTheAltSettings() {
        DfuTransport onInterface3 = new ForwardingTransport(fake) {
            @Override
            public List<DfuAltSetting> altSettings() {
                return List.of(new DfuAltSetting(3, 0, FakeDfuDevice.FLASH_LAYOUT));
            }

            @Override
            public byte[] controlIn(ControlSetup setup, java.time.Duration timeout) {
                assertThat(setup.wIndex()).isEqualTo(3);
                return fake.controlIn(new ControlSetup(setup.bmRequestType(), setup.bRequest(), setup.wValue(), 0,
                        setup.wLength()), timeout);
            }
        };

        new DfuDevice(onInterface3, clock, DfuOptions.DEFAULTS).getStatus();

        assertThat(fake.transfers).hasSize(1);
    }
}
