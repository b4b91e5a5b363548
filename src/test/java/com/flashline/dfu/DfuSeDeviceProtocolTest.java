package com.flashline.dfu;

import static com.flashline.dfu.DfuRequest.ABORT;
import static com.flashline.dfu.DfuRequest.DNLOAD;
import static com.flashline.dfu.DfuRequest.GETSTATUS;
import static com.flashline.dfu.DfuRequest.UPLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The DfuSe layer's part of AN3156's state rules: a command DNLOAD only from dfuIDLE or
 * dfuDNLOAD-IDLE (so a read run is aborted first), a device that resets or leaves is asked again,
 * the edges of the 32-bit address space, and failures named by the command that caused them.
 */
class DfuSeDeviceProtocolTest {

    private static final long FLASH = 0x0800_0000L;

    private final VirtualClock clock = new VirtualClock();
    private final FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
    private final DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

    private List<DfuRequest> requests() {
        return fake.transfers.stream().map(FakeDfuDevice.Transfer::request).toList();
    }

    /** Leaves the device in dfuUPLOAD-IDLE after reading {@code address}, as a verify would. */
    private void afterAReadAt(long address) {
        device.read(address, new byte[16], 0, 16, TransferProgress.NONE);
        assertThat(device.knownState()).contains(DfuState.DFU_UPLOAD_IDLE);
        fake.transfers.clear();
    }

    // ---------------------------------------------------------------- commands after a read run

    @Test
    void setAddressPointerAbortsAReadRunBeforeItsDnload() {
        afterAReadAt(FLASH);

        device.setAddressPointer(FLASH + 0x4000);

        assertThat(requests()).containsExactly(ABORT, DNLOAD, GETSTATUS, GETSTATUS);
        assertThat(fake.pointer).isEqualTo(FLASH + 0x4000);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void massEraseAbortsAReadRunBeforeItsDnload() {
        afterAReadAt(FLASH);

        device.massErase();

        assertThat(requests()).containsExactly(ABORT, DNLOAD, GETSTATUS, GETSTATUS);
        assertThat(fake.massErases).isEqualTo(1);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void optionBytesAbortAReadRunOfTheOptionBytesBeforeTheirDnload() {
        afterAReadAt(FakeDfuDevice.OPTION_BASE);

        device.writeOptionBytes(FakeDfuDevice.OPTION_BASE, new byte[16]);

        assertThat(requests()).startsWith(ABORT, DNLOAD);
        assertThat(fake.optionWrites).containsExactly(FakeDfuDevice.OPTION_BASE);
        assertThat(fake.violations).isEmpty();
    }

    // ---------------------------------------------------------------- after a reset or a leave

    @Test
    void afterLeavingTheStateIsAskedAgainEvenWhenManifestWasAnswered() {
        device.leave(FLASH);

        assertThat(device.knownState()).as("the ROM jumps to the application").isEmpty();
    }

    @Test
    void manifestWaitResetIsAlsoALeave() {
        DfuTransport waitsForReset = new ForwardingTransport(fake) {
            @Override
            public byte[] controlIn(ControlSetup setup, Duration timeout) {
                byte[] answer = fake.controlIn(setup, timeout);
                if (fake.state == DfuState.DFU_MANIFEST) {
                    return DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_MANIFEST_WAIT_RESET).encode();
                }
                return answer;
            }
        };

        LeaveOutcome outcome = new DfuSeDevice(waitsForReset, clock, DfuOptions.DEFAULTS).leave(FLASH);

        assertThat(outcome).isEqualTo(LeaveOutcome.MANIFESTING);
    }

    @Test
    void aReadUnprotectAnsweredBeforeTheResetStillForgetsTheState() {
        fake.resetAfterCompletingStatus = true;

        device.readUnprotect();

        assertThat(fake.readUnprotects).isEqualTo(1);
        assertThat(device.knownState()).isEmpty();
    }

    @Test
    void optionBytesAnsweredBeforeTheResetStillForgetTheState() {
        fake.resetAfterCompletingStatus = true;

        device.writeOptionBytes(FakeDfuDevice.OPTION_BASE, new byte[16]);

        assertThat(fake.optionWrites).containsExactly(FakeDfuDevice.OPTION_BASE);
        assertThat(device.knownState()).isEmpty();
    }

    // ---------------------------------------------------------------- the edges of the address space

    @Test
    void addressZeroIsAnAddress() {
        device.setAddressPointer(0);

        assertThat(fake.pointer).isZero();
        assertThat(fake.transfers(DNLOAD).get(0).data()).containsExactly(0x21, 0, 0, 0, 0);
    }

    @Test
    void aRangeEndingAtTheTopOfTheSpaceIsInside() {
        byte[] two = new byte[2];

        device.read(0xFFFF_FFFEL, two, 0, 2, TransferProgress.NONE);

        assertThat(two).containsExactly(FakeDfuDevice.pattern(0xFFFF_FFFEL), FakeDfuDevice.pattern(0xFFFF_FFFFL));
    }

    @Test
    void aOneByteReadOfTheLastAddressOfTheSpaceWidensDownwards() {
        byte[] one = new byte[1];

        device.read(0xFFFF_FFFFL, one, 0, 1, TransferProgress.NONE);

        assertThat(one[0]).isEqualTo(FakeDfuDevice.pattern(0xFFFF_FFFFL));
        assertThat(fake.pointer).isEqualTo(0xFFFF_FFFEL);
    }

    @Test
    void aZeroLengthBlockReadSendsNothing() {
        assertThat(device.read(FLASH, 0, (at, block) -> true, () -> false)).isZero();
        assertThatThrownBy(() -> device.read(FLASH, -1, (at, block) -> true, () -> false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("negative length -1");
        assertThat(fake.transfers).isEmpty();
    }

    // ---------------------------------------------------------------- progress of reads

    @Test
    void readProgressCountsTheBytesOfEveryBlock() {
        List<Long> reports = new ArrayList<>();
        byte[] data = new byte[5000];

        device.read(FLASH, data, 0, 5000, (done, total) -> {
            assertThat(total).isEqualTo(5000);
            reports.add(done);
        });

        assertThat(reports).containsExactly(2048L, 4096L, 5000L);
        assertThat(data[4999]).isEqualTo(FakeDfuDevice.pattern(FLASH + 4999));
    }

    @Test
    void aOneByteReadReportsItsOneByte() {
        List<String> reports = new ArrayList<>();

        device.read(FLASH + 5, new byte[1], 0, 1, (done, total) -> reports.add(done + "/" + total));

        assertThat(reports).containsExactly("1/1");
    }

    @Test
    void aDeviceThatSendsLessThanABlockIsAProtocolError() {
        DfuTransport shortChanging = new ForwardingTransport(fake) {
            @Override
            public byte[] controlIn(ControlSetup setup, Duration timeout) {
                byte[] answer = fake.controlIn(setup, timeout);
                return setup.bRequest() == UPLOAD.code() ? java.util.Arrays.copyOf(answer, 10) : answer;
            }
        };
        DfuSeDevice reader = new DfuSeDevice(shortChanging, clock, DfuOptions.DEFAULTS);

        assertThatThrownBy(() -> reader.read(FLASH, new byte[16], 0, 16, TransferProgress.NONE))
                .isInstanceOfSatisfying(DfuProtocolException.class, e -> {
                    assertThat(e.request()).isEqualTo(UPLOAD);
                    assertThat(e.getMessage()).isEqualTo("read 16 bytes at 0x08000000: device sent 10 bytes");
                });
    }

    // ---------------------------------------------------------------- failures named by their command

    /** A ROM under read protection: it stalls the request and reports errVENDOR (AN3156 section 6.1). */
    private DfuSeDevice readProtected() {
        DfuTransport rdp = new ForwardingTransport(fake) {
            @Override
            public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
                if (setup.bRequest() == DNLOAD.code() && (data.length == 0 || data[0] != 0x21)) {
                    refuse(setup);
                }
                fake.controlOut(setup, data, timeout);
            }

            @Override
            public byte[] controlIn(ControlSetup setup, Duration timeout) {
                if (setup.bRequest() == UPLOAD.code()) {
                    refuse(setup);
                }
                return fake.controlIn(setup, timeout);
            }

            private void refuse(ControlSetup setup) {
                fake.state = DfuState.DFU_ERROR;
                fake.status = DfuStatusCode.ERR_VENDOR;
                throw new StallException("read protected", setup);
            }
        };
        return new DfuSeDevice(rdp, clock, DfuOptions.DEFAULTS);
    }

    private static void failsNaming(ThrowingCallable call, DfuRequest request, String what) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DfuStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(DfuStatusCode.ERR_VENDOR);
            assertThat(e.request()).isEqualTo(request);
            assertThat(e.getMessage()).startsWith(what + " was stalled");
            assertThat(e.getSuppressed()).singleElement().isInstanceOf(StallException.class);
        });
    }

    @Test
    void aStalledGetCommandIsNamed() {
        failsNaming(readProtected()::getCommands, UPLOAD, "Get command");
    }

    @Test
    void aStalledLeaveIsNamed() {
        failsNaming(() -> readProtected().leave(FLASH), DNLOAD, "leave DFU mode");
    }

    @Test
    void aStalledReadUnprotectIsNamed() {
        failsNaming(readProtected()::readUnprotect, DNLOAD, "read unprotect");
    }

    @Test
    void aStalledOptionByteWriteIsNamed() {
        failsNaming(() -> readProtected().writeOptionBytes(FakeDfuDevice.OPTION_BASE, new byte[16]), DNLOAD,
                "write option bytes at 0x1FFFC000");
    }

    @Test
    void theGetCommandAsksForAtMostOneTransferSize() {
        FakeDfuDevice small = new FakeDfuDevice(clock, 8);

        new DfuSeDevice(small, clock, DfuOptions.DEFAULTS).getCommands();

        assertThat(small.transfers(UPLOAD)).singleElement()
                .satisfies(t -> assertThat(t.setup()).isEqualTo(new ControlSetup(0xA1, 0x02, 0, 0, 8)));
        fake.transfers.clear();
        device.getCommands();
        assertThat(fake.transfers(UPLOAD).get(0).setup().wLength()).isEqualTo(32);
    }
}
