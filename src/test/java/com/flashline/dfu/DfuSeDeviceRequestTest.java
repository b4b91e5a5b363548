package com.flashline.dfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every DfuSe command the engine sends, down to the SETUP bytes and payloads of AN3156. */
class DfuSeDeviceRequestTest {

    private final VirtualClock clock = new VirtualClock();
    private final FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
    private final DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

    @Test
    void setAddressPointerSendsCommand0x21WithTheAddressLsbFirst() {
        device.setAddressPointer(0x0801_2345L);

        List<FakeDfuDevice.Transfer> dnloads = fake.transfers(DfuRequest.DNLOAD);
        assertThat(dnloads).singleElement().satisfies(t -> {
            assertThat(t.setup()).isEqualTo(new ControlSetup(0x21, 0x01, 0, 0, 5));
            assertThat(t.data()).containsExactly(0x21, 0x45, 0x23, 0x01, 0x08);
        });
        assertThat(fake.pointer).isEqualTo(0x0801_2345L);
    }

    @Test
    void eraseSectorSendsCommand0x41WithTheAddress() {
        device.eraseSector(0x0802_0000L);

        assertThat(fake.transfers(DfuRequest.DNLOAD).get(0).data()).containsExactly(0x41, 0x00, 0x00, 0x02, 0x08);
        assertThat(fake.erasedSectors).containsExactly(0x0802_0000L);
    }

    @Test
    void massEraseSendsTheEraseCommandAlone() {
        device.massErase();

        assertThat(fake.transfers(DfuRequest.DNLOAD)).singleElement().satisfies(t -> {
            assertThat(t.setup()).isEqualTo(new ControlSetup(0x21, 0x01, 0, 0, 1));
            assertThat(t.data()).containsExactly(0x41);
        });
        assertThat(fake.massErases).isEqualTo(1);
    }

    @Test
    void readUnprotectSendsCommand0x92() {
        device.readUnprotect();

        assertThat(fake.transfers(DfuRequest.DNLOAD)).singleElement().satisfies(t -> {
            assertThat(t.setup()).isEqualTo(new ControlSetup(0x21, 0x01, 0, 0, 1));
            assertThat(t.data()).containsExactly(0x92);
        });
    }

    @Test
    void getCommandsIsAnUploadWithWValueZeroAndChecksTheFourCommands() {
        byte[] commands = device.getCommands();

        assertThat(commands).containsExactly(0x00, 0x21, 0x41, 0x92);
        FakeDfuDevice.Transfer upload = fake.transfers(DfuRequest.UPLOAD).get(0);
        assertThat(upload.setup().bmRequestType()).isEqualTo(0xA1);
        assertThat(upload.setup().wValue()).isZero();
    }

    @Test
    void getCommandsRejectsADeviceWithoutReadUnprotect() {
        DfuTransport limited = new ForwardingTransport(fake) {
            @Override
            public byte[] controlIn(ControlSetup setup, java.time.Duration timeout) {
                byte[] answer = fake.controlIn(setup, timeout);
                return setup.bRequest() == 0x02 ? new byte[] {0x00, 0x21, 0x41} : answer;
            }
        };

        assertThatThrownBy(() -> new DfuSeDevice(limited, clock, DfuOptions.DEFAULTS).getCommands())
                .isInstanceOf(DfuProtocolException.class)
                .hasMessageContaining("0x92");
    }

    @Test
    void theFirstCommandAsksForTheStateOnceAndTheSecondDoesNot() {
        device.eraseSector(0x0800_0000L);
        device.eraseSector(0x0800_4000L);

        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request).containsExactly(
                DfuRequest.GETSTATUS, // unknown state at start
                DfuRequest.DNLOAD, DfuRequest.GETSTATUS, DfuRequest.GETSTATUS,
                DfuRequest.DNLOAD, DfuRequest.GETSTATUS, DfuRequest.GETSTATUS);
        assertThat(fake.violations).isEmpty();
        assertThat(device.statistics().transfers(DfuRequest.GETSTATUS)).isEqualTo(5);
        assertThat(device.statistics().transfers(DfuRequest.DNLOAD)).isEqualTo(2);
        assertThat(device.statistics().bytesDown()).isEqualTo(10);
    }

    @Test
    void aTransferSizeTooSmallForAnAddressedCommandIsRefusedByTheDfuSeLayerOnly() {
        FakeDfuDevice tiny = new FakeDfuDevice(clock, 4);

        assertThatThrownBy(() -> new DfuSeDevice(tiny, clock, DfuOptions.DEFAULTS))
                .isInstanceOf(DfuProtocolException.class).hasMessageContaining("5-byte DfuSe commands");
        assertThat(new DfuDevice(tiny, clock, DfuOptions.DEFAULTS).getStatus().state()).isEqualTo(DfuState.DFU_IDLE);
    }
}
