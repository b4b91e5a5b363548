package com.flashline.dfu;

import static com.flashline.dfu.DfuRequest.DNLOAD;
import static com.flashline.dfu.DfuRequest.GETSTATUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operations after which the device resets or disconnects: leave, read unprotect, option bytes. */
class DfuSeDeviceResetTest {

    private static final long FLASH = 0x0800_0000L;

    private final VirtualClock clock = new VirtualClock();
    private final FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
    private final DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

    @Test
    void leaveSetsThePointerSendsAZeroLengthDnloadAndSeesManifest() {
        device.read(FLASH + 0x100, new byte[64], 0, 64, TransferProgress.NONE); // moves the pointer
        fake.transfers.clear();

        LeaveOutcome outcome = device.leave(FLASH);

        assertThat(outcome).isEqualTo(LeaveOutcome.MANIFESTING);
        assertThat(fake.leftTo).containsExactly(FLASH);
        List<FakeDfuDevice.Transfer> dnloads = fake.transfers(DNLOAD);
        assertThat(dnloads).hasSize(2);
        assertThat(dnloads.get(0).data()).containsExactly(0x21, 0x00, 0x00, 0x00, 0x08);
        assertThat(dnloads.get(1).setup()).isEqualTo(new ControlSetup(0x21, 0x01, 2, 0, 0));
        assertThat(dnloads.get(1).data()).isEmpty();
        assertThat(fake.transfers.get(fake.transfers.size() - 1).request()).isEqualTo(GETSTATUS);
        assertThat(fake.violations).isEmpty();
        assertThat(device.knownState()).isEmpty();
    }

    @Test
    void aDeviceThatDisconnectsInsteadOfAnsweringHasLeftSuccessfully() {
        fake.leaveDisconnectsBeforeStatus = true;

        assertThat(device.leave(FLASH)).isEqualTo(LeaveOutcome.DISCONNECTED);
    }

    @Test
    void anErrorStatusAfterTheZeroLengthDnloadIsAnError() {
        DfuTransport failing = new ForwardingTransport(fake) {
            @Override
            public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
                fake.controlOut(setup, data, timeout);
                if (setup.bRequest() == DNLOAD.code() && data.length == 0) {
                    fake.failNext = DfuStatusCode.ERR_FIRMWARE;
                }
            }
        };

        assertThatThrownBy(() -> new DfuSeDevice(failing, clock, DfuOptions.DEFAULTS).leave(FLASH))
                .isInstanceOfSatisfying(DfuStatusException.class, e -> {
                    assertThat(e.status()).isEqualTo(DfuStatusCode.ERR_FIRMWARE);
                    assertThat(e.request()).isEqualTo(DNLOAD);
                    assertThat(e.getMessage()).contains("leave DFU mode");
                });
    }

    @Test
    void aDeviceThatStaysIdleAfterTheZeroLengthDnloadHasNotLeft() {
        DfuTransport stubborn = new ForwardingTransport(fake) {
            @Override
            public byte[] controlIn(ControlSetup setup, Duration timeout) {
                if (fake.state == DfuState.DFU_MANIFEST_SYNC) {
                    fake.state = DfuState.DFU_DNLOAD_IDLE;
                }
                return fake.controlIn(setup, timeout);
            }
        };

        assertThatThrownBy(() -> new DfuSeDevice(stubborn, clock, DfuOptions.DEFAULTS).leave(FLASH))
                .isInstanceOfSatisfying(DfuProtocolException.class, e -> {
                    assertThat(e.getMessage()).contains("expected dfuMANIFEST");
                    assertThat(e.state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
                });
    }

    @Test
    void aDeviceGoneBeforeTheZeroLengthDnloadIsNotSuccess() {
        fake.gone = true;

        assertThatThrownBy(() -> device.leave(FLASH)).isInstanceOf(DeviceGoneException.class);
    }

    @Test
    void readUnprotectSucceedsWhenTheDeviceResetsDuringTheSecondStatus() {
        device.readUnprotect();

        assertThat(fake.readUnprotects).isEqualTo(1);
        assertThat(fake.gone).isTrue();
        assertThat(fake.count(GETSTATUS)).isEqualTo(1 + 2);
        assertThat(device.knownState()).isEmpty();
    }

    @Test
    void readUnprotectSucceedsWhenTheDeviceAnswersBeforeResetting() {
        fake.resetAfterCompletingStatus = true;

        device.readUnprotect();

        assertThat(fake.readUnprotects).isEqualTo(1);
    }

    @Test
    void readUnprotectReportsAnErrorStatus() {
        fake.failNext = DfuStatusCode.ERR_VENDOR;

        assertThatThrownBy(device::readUnprotect).isInstanceOfSatisfying(DfuStatusException.class,
                e -> assertThat(e.status()).isEqualTo(DfuStatusCode.ERR_VENDOR));
    }

    @Test
    void writingOptionBytesSelectsTheirAltSetsTheBaseAndTreatsTheResetAsSuccess() {
        byte[] options = new byte[16];
        options[0] = (byte) 0xAA;

        device.writeOptionBytes(FakeDfuDevice.OPTION_BASE, options);

        assertThat(fake.alt).isEqualTo(1);
        assertThat(fake.optionWrites).containsExactly(FakeDfuDevice.OPTION_BASE);
        assertThat(fake.memory.get(FakeDfuDevice.OPTION_BASE)).isEqualTo((byte) 0xAA);
        List<FakeDfuDevice.Transfer> dnloads = fake.transfers(DNLOAD);
        assertThat(dnloads).extracting(t -> t.setup().wValue()).containsExactly(0, 2);
        assertThat(fake.gone).isTrue();
    }

    @Test
    void anOptionByteBlockLargerThanOneTransferIsRejected() {
        assertThatThrownBy(() -> device.writeOptionBytes(FakeDfuDevice.OPTION_BASE, new byte[2049]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 to 2048 bytes");
        assertThat(fake.transfers).isEmpty();
    }

    @Test
    void switchingAltSettingsLeavesADownloadRunFirstBecauseDfuOnlyAllowsItInIdle() {
        FakeDfuDevice twoAlts = new FakeDfuDevice(clock, 2048,
                "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg", "@Option Bytes  /0x1FFFC000/01*016 e");
        DfuSeDevice engine = new DfuSeDevice(twoAlts, clock, DfuOptions.DEFAULTS);
        engine.write(FLASH, new byte[64], 0, 64, TransferProgress.NONE); // leaves the device in dfuDNLOAD-IDLE

        engine.selectAltSetting(1);

        assertThat(twoAlts.violations).isEmpty();
        assertThat(twoAlts.transfers(DfuRequest.ABORT)).hasSize(1);
        assertThat(engine.currentAltSetting()).isEqualTo(1);
    }
}
