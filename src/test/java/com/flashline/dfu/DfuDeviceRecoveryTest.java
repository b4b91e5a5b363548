package com.flashline.dfu;

import static com.flashline.dfu.DfuRequest.ABORT;
import static com.flashline.dfu.DfuRequest.CLRSTATUS;
import static com.flashline.dfu.DfuRequest.DNLOAD;
import static com.flashline.dfu.DfuRequest.GETSTATUS;
import static com.flashline.dfu.DfuRequest.UPLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.error.FailureCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link DfuDevice} bringing the device to a state AN3156 accepts before a request (sections 4.2 and 5),
 * on its own and before the DfuSe commands that depend on it.
 */
class DfuDeviceRecoveryTest {

    private final VirtualClock clock = new VirtualClock();
    private final FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
    private final DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

    @Test
    void clearsAnErrorLeftByAPreviousSessionAndConfirmsIdle() {
        fake.state = DfuState.DFU_ERROR;
        fake.status = DfuStatusCode.ERR_TARGET;

        device.eraseSector(0x0800_0000L);

        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request)
                .startsWith(GETSTATUS, CLRSTATUS, GETSTATUS, DNLOAD);
        assertThat(fake.erasedSectors).containsExactly(0x0800_0000L);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void abortsOutOfUploadIdleBeforeADownload() {
        fake.state = DfuState.DFU_UPLOAD_IDLE;

        device.ensureIdle(IdleFor.DOWNLOAD);

        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request)
                .containsExactly(GETSTATUS, ABORT, GETSTATUS);
        assertThat(fake.state).isEqualTo(DfuState.DFU_IDLE);
    }

    @Test
    void abortsOutOfDownloadIdleBeforeAnUpload() {
        fake.state = DfuState.DFU_DNLOAD_IDLE;

        device.getCommands();

        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request)
                .containsExactly(GETSTATUS, ABORT, GETSTATUS, UPLOAD);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void downloadIdleIsAcceptedForADownloadContinuation() {
        fake.state = DfuState.DFU_DNLOAD_IDLE;

        device.ensureIdle(IdleFor.DOWNLOAD);

        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request).containsExactly(GETSTATUS);
    }

    @Test
    void uploadIdleIsAcceptedForAnUploadContinuationButNotForStrictIdle() {
        fake.state = DfuState.DFU_UPLOAD_IDLE;

        device.ensureIdle(IdleFor.UPLOAD);
        assertThat(fake.count(ABORT)).isZero();

        device.ensureIdle(IdleFor.IDLE);
        assertThat(fake.count(ABORT)).isEqualTo(1);
        assertThat(fake.state).isEqualTo(DfuState.DFU_IDLE);
    }

    @Test
    void aKnownIdleStateCostsNoRequestAtAll() {
        device.ensureIdle(IdleFor.DOWNLOAD);
        fake.transfers.clear();

        device.ensureIdle(IdleFor.DOWNLOAD);
        device.ensureIdle(IdleFor.UPLOAD);
        device.ensureIdle(IdleFor.IDLE);

        assertThat(fake.transfers).isEmpty();
    }

    @Test
    void waitsOutABusyDeviceHonouringItsPollTimeout() {
        fake.pollTimeoutMillis = 40;
        fake.busyWithEarlierCommand(2);

        device.ensureIdle(IdleFor.DOWNLOAD);

        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request)
                .containsExactly(GETSTATUS, GETSTATUS, GETSTATUS);
        assertThat(fake.transfers).extracting(t -> t.atNanos() / 1_000_000).containsExactly(0L, 40L, 80L);
        assertThat(fake.violations).isEmpty();
        assertThat(fake.state).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
    }

    @Test
    void givesUpAfterTheConfiguredTriesWhenTheErrorWillNotClear() {
        fake.state = DfuState.DFU_ERROR;
        fake.status = DfuStatusCode.ERR_VENDOR;
        fake.ignoresRecovery = true;

        assertThatThrownBy(() -> device.eraseSector(0x0800_0000L))
                .isInstanceOfSatisfying(DfuStateException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(FailureCode.DFU_STATE);
                    assertThat(e.state()).isEqualTo(DfuState.DFU_ERROR);
                    assertThat(e.status()).isEqualTo(DfuStatusCode.ERR_VENDOR);
                    assertThat(e.getMessage()).contains("after 5 recovery tries");
                });
        assertThat(fake.count(CLRSTATUS)).isEqualTo(5);
        assertThat(fake.count(DNLOAD)).isZero();
    }

    @Test
    void theNumberOfTriesIsConfigurable() {
        fake.state = DfuState.DFU_UPLOAD_IDLE;
        fake.ignoresRecovery = true;
        DfuSeDevice impatient = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS.withMaxRecoveryTries(2));

        assertThatThrownBy(() -> impatient.ensureIdle(IdleFor.DOWNLOAD)).isInstanceOf(DfuStateException.class);
        assertThat(fake.count(ABORT)).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = DfuState.class, names = {"DFU_MANIFEST", "DFU_MANIFEST_WAIT_RESET", "APP_IDLE"})
    void statesOnlyAResetLeavesFailAtOnce(DfuState state) {
        fake.state = state;

        assertThatThrownBy(() -> device.ensureIdle(IdleFor.DOWNLOAD))
                .isInstanceOfSatisfying(DfuStateException.class, e -> {
                    assertThat(e.state()).isEqualTo(state);
                    assertThat(e.getMessage()).contains("only leaves it by a reset");
                });
        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request).containsExactly(GETSTATUS);
    }

    @Test
    void anErrorAfterACommandIsClearedBeforeTheNextOne() {
        fake.failNext = DfuStatusCode.ERR_ADDRESS;
        assertThatThrownBy(() -> device.eraseSector(0x0800_0000L)).isInstanceOf(DfuStatusException.class);
        fake.transfers.clear();

        device.eraseSector(0x0800_0000L);

        // The error state is known from the failed poll: no GETSTATUS needed to find it.
        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request)
                .startsWith(CLRSTATUS, DNLOAD);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void aStalledRequestIsExplainedByTheStatusItLeft() {
        DfuTransport protectedChip = new ForwardingTransport(fake) {
            @Override
            public byte[] controlIn(ControlSetup setup, java.time.Duration timeout) {
                if (setup.bRequest() == UPLOAD.code() && setup.wValue() >= 2) {
                    fake.state = DfuState.DFU_ERROR;
                    fake.status = DfuStatusCode.ERR_VENDOR;
                    throw new StallException("read protected", setup);
                }
                return fake.controlIn(setup, timeout);
            }
        };
        DfuSeDevice rdp = new DfuSeDevice(protectedChip, clock, DfuOptions.DEFAULTS);

        assertThatThrownBy(() -> rdp.read(0x0800_0000L, new byte[16], 0, 16, TransferProgress.NONE))
                .isInstanceOfSatisfying(DfuStatusException.class, e -> {
                    assertThat(e.status()).isEqualTo(DfuStatusCode.ERR_VENDOR);
                    assertThat(e.request()).isEqualTo(UPLOAD);
                    assertThat(e.getMessage()).contains("read 16 bytes at 0x08000000");
                });
    }
}
