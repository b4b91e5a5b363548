package com.flashline.dfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.error.FailureCode;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DfuCoreTypesTest {

    @Test
    void statusDecodesTwentyFourBitLittleEndianPollTimeout() {
        DfuStatus status = DfuStatus.decode(new byte[] {0x00, 0x34, 0x12, (byte) 0xAB, 0x04, 0x00});

        assertThat(status.status()).isEqualTo(DfuStatusCode.OK);
        assertThat(status.pollTimeoutMillis()).isEqualTo(0xAB1234);
        assertThat(status.state()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThat(status.iString()).isZero();
    }

    @Test
    void statusDecodesTheLargestPollTimeoutWithoutGoingNegative() {
        DfuStatus status = DfuStatus.decode(new byte[] {0x0B, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0A, 0x07});

        assertThat(status.pollTimeoutMillis()).isEqualTo(DfuStatus.MAX_POLL_TIMEOUT);
        assertThat(status.status()).isEqualTo(DfuStatusCode.ERR_VENDOR);
        assertThat(status.state()).isEqualTo(DfuState.DFU_ERROR);
        assertThat(status.iString()).isEqualTo(7);
        assertThat(status.isError()).isTrue();
    }

    @Test
    void statusEncodeDecodeRoundTrips() {
        for (DfuStatusCode code : DfuStatusCode.values()) {
            for (DfuState state : DfuState.values()) {
                DfuStatus status = new DfuStatus(code, 0x01_02_03 + code.code(), state, state.code());
                assertThat(DfuStatus.decode(status.encode())).isEqualTo(status);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0", "5", "7"})
    void statusOfWrongLengthIsAProtocolError(int length) {
        assertThatThrownBy(() -> DfuStatus.decode(new byte[length]))
                .isInstanceOf(DfuProtocolException.class)
                .hasMessageContaining("6 bytes, got " + length);
    }

    @Test
    void statusWithUnknownCodesIsAProtocolError() {
        assertThatThrownBy(() -> DfuStatus.decode(new byte[] {0x10, 0, 0, 0, 2, 0}))
                .isInstanceOf(DfuProtocolException.class).hasMessageContaining("bStatus 16");
        assertThatThrownBy(() -> DfuStatus.decode(new byte[] {0, 0, 0, 0, 11, 0}))
                .isInstanceOf(DfuProtocolException.class).hasMessageContaining("bState 11");
    }

    @ParameterizedTest
    @EnumSource(DfuState.class)
    void everyStateRoundTripsThroughItsCode(DfuState state) {
        assertThat(DfuState.fromCode(state.code())).isSameAs(state);
        assertThat(state.code()).isEqualTo(state.ordinal());
    }

    @ParameterizedTest
    @EnumSource(DfuStatusCode.class)
    void everyStatusCodeRoundTripsThroughItsCode(DfuStatusCode code) {
        assertThat(DfuStatusCode.fromCode(code.code())).isSameAs(code);
        assertThat(code.code()).isEqualTo(code.ordinal());
    }

    @Test
    void specNamesFollowDfu11() {
        assertThat(DfuState.DFU_DNLOAD_IDLE.specName()).isEqualTo("dfuDNLOAD-IDLE");
        assertThat(DfuState.DFU_MANIFEST_WAIT_RESET.specName()).isEqualTo("dfuMANIFEST-WAIT-RESET");
        assertThat(DfuStatusCode.ERR_TARGET.specName()).isEqualTo("errTARGET");
        assertThat(DfuStatusCode.ERR_CHECK_ERASED.specName()).isEqualTo("errCHECKERASED");
        assertThat(DfuStatusCode.OK.specName()).isEqualTo("OK");
    }

    @Test
    void requestCodesAndDirectionsMatchDfu11() {
        assertThat(DfuRequest.values()).extracting(DfuRequest::code).containsExactly(0, 1, 2, 3, 4, 5, 6);
        EnumSet<DfuRequest> in = EnumSet.of(DfuRequest.UPLOAD, DfuRequest.GETSTATUS, DfuRequest.GETSTATE);
        for (DfuRequest r : DfuRequest.values()) {
            assertThat(r.bmRequestType()).isEqualTo(in.contains(r) ? 0xA1 : 0x21);
            assertThat(DfuRequest.fromCode(r.code())).isSameAs(r);
        }
        assertThat(DfuRequest.fromCode(0x07)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"0x2000, 2.0", "0x2200, 2.2", "0x1A00, 1.10", "0x021A, 0.2"})
    void bootloaderVersionComesFromTheMsbOfBcdDevice(String bcdDevice, String version) {
        UsbDeviceInfo info = new UsbDeviceInfo(0x0483, 0xDF11, Integer.decode(bcdDevice), "ST", "BL", "X", "1-1");

        assertThat(info.bootloaderVersion()).isEqualTo(version);
        assertThat(info.vidPid()).isEqualTo("0483:df11");
    }

    @Test
    void functionalDescriptorDecodesTheStm32RomDescriptor() {
        byte[] raw = {0x09, 0x21, 0x0B, (byte) 0xFF, 0x00, 0x00, 0x08, 0x1A, 0x01};

        DfuFunctionalDescriptor d = DfuFunctionalDescriptor.decode(raw);

        assertThat(d.transferSize()).isEqualTo(2048);
        assertThat(d.detachTimeoutMillis()).isEqualTo(255);
        assertThat(d.bcdDfuVersion()).isEqualTo(0x011A);
        assertThat(d.canDownload()).isTrue();
        assertThat(d.canUpload()).isTrue();
        assertThat(d.manifestationTolerant()).isFalse();
        assertThat(d.willDetach()).isTrue();
        assertThat(d.encode()).containsExactly(raw);
    }

    @Test
    void functionalDescriptorOfDfu10LengthDefaultsTheVersion() {
        DfuFunctionalDescriptor d = DfuFunctionalDescriptor.decode(new byte[] {0x07, 0x21, 0x03, 0x10, 0x00, 0x00, 0x04});

        assertThat(d.bcdDfuVersion()).isEqualTo(0x0100);
        assertThat(d.transferSize()).isEqualTo(1024);
    }

    @Test
    void functionalDescriptorIsFoundAfterOtherDescriptorsInTheExtraBytes() {
        byte[] extra = {
            0x05, 0x24, 0x00, 0x10, 0x01, // some class-specific descriptor first
            0x09, 0x21, 0x0B, (byte) 0xFF, 0x00, 0x00, 0x04, 0x1A, 0x01};

        assertThat(DfuFunctionalDescriptor.find(extra).transferSize()).isEqualTo(1024);
    }

    @Test
    void functionalDescriptorErrorsAreClear() {
        assertThatThrownBy(() -> DfuFunctionalDescriptor.find(new byte[] {0x05, 0x24, 0, 0, 0}))
                .isInstanceOf(DfuProtocolException.class).hasMessageContaining("no DFU functional descriptor");
        assertThatThrownBy(() -> DfuFunctionalDescriptor.decode(new byte[] {0x09, 0x04, 0, 0, 0, 0, 0, 0, 0}))
                .isInstanceOf(DfuProtocolException.class);
        assertThatThrownBy(() -> DfuFunctionalDescriptor.decode(new byte[] {0x09, 0x21, 0x0B, 0, 0, 0, 0, 0x1A, 0x01}))
                .isInstanceOf(DfuProtocolException.class).hasMessageContaining("wTransferSize");
    }

    @Test
    void exceptionsCarryStableCodesAndDeviceReports() {
        DfuStatus error = new DfuStatus(DfuStatusCode.ERR_TARGET, 0, DfuState.DFU_ERROR, 0);
        DfuStatusException e = new DfuStatusException("erase", DfuRequest.DNLOAD, error);

        assertThat(e.errorCode()).isEqualTo(FailureCode.DFU_ERR_TARGET);
        assertThat(e.request()).isEqualTo(DfuRequest.DNLOAD);
        assertThat(e.status()).isEqualTo(DfuStatusCode.ERR_TARGET);
        assertThat(e.state()).isEqualTo(DfuState.DFU_ERROR);
        assertThat(new DfuTimeoutException("x", DfuRequest.DNLOAD, error).errorCode())
                .isEqualTo(FailureCode.DFU_TIMEOUT);
        assertThat(new DfuStateException("x", null, error).state()).isEqualTo(DfuState.DFU_ERROR);
        assertThat(new DfuCancelledException("x", null).errorCode()).isEqualTo(FailureCode.DFU_CANCELLED);
        assertThat(new DeviceGoneException("x", DfuRequest.GETSTATUS.setup(0, 0, 6)).request())
                .isEqualTo(DfuRequest.GETSTATUS);
    }

    /** Job records, REST and audit hold these names: "DFU_" and the bStatus name, as before there was an enum. */
    @ParameterizedTest
    @EnumSource(value = DfuStatusCode.class, mode = EnumSource.Mode.EXCLUDE, names = "OK")
    void everyErrorStatusHasTheFailureCodeNamedAfterIt(DfuStatusCode status) {
        DfuStatusException e = new DfuStatusException("x", DfuRequest.DNLOAD,
                new DfuStatus(status, 0, DfuState.DFU_ERROR, 0));

        assertThat(e.errorCode().name()).isEqualTo("DFU_" + status.name());
    }

    @Test
    void anErrorStateWithStatusOkIsAnUnexpectedState() {
        DfuStatus okButError = new DfuStatus(DfuStatusCode.OK, 0, DfuState.DFU_ERROR, 0);

        assertThat(new DfuStatusException("x", DfuRequest.DNLOAD, okButError).errorCode())
                .isEqualTo(FailureCode.DFU_UNEXPECTED_STATE);
    }

    @Test
    void exceptionsWithoutADeviceReportSayOnlyWhatHappened() {
        DfuTimeoutException timeout = new DfuTimeoutException("erase", DfuRequest.DNLOAD, null);
        DfuStateException stuck = new DfuStateException("stuck", null, null);

        assertThat(timeout.getMessage()).isEqualTo("erase");
        assertThat(timeout.status()).isNull();
        assertThat(timeout.state()).isNull();
        assertThat(stuck.getMessage()).isEqualTo("stuck");
        assertThat(stuck.status()).isNull();
        assertThat(stuck.state()).isNull();
        DfuStatus busy = new DfuStatus(DfuStatusCode.OK, 100, DfuState.DFU_DNBUSY, 0);
        assertThat(new DfuTimeoutException("erase", DfuRequest.DNLOAD, busy).getMessage())
                .isEqualTo("erase: last status OK/dfuDNBUSY (bwPollTimeout 100 ms)");
    }

    @Test
    void everyFailureHasItsStableCode() {
        ControlSetup setup = DfuRequest.GETSTATUS.setup(0, 0, 6);

        assertThat(new DfuException("x").errorCode()).isEqualTo(FailureCode.DFU_ERROR);
        assertThat(new DfuProtocolException("x").errorCode()).isEqualTo(FailureCode.DFU_PROTOCOL);
        assertThat(new DfuStateException("x", null, null).errorCode()).isEqualTo(FailureCode.DFU_STATE);
        assertThat(new DeviceGoneException("x", setup).errorCode()).isEqualTo(FailureCode.DEVICE_GONE);
        assertThat(new StallException("x", setup).errorCode()).isEqualTo(FailureCode.USB_STALL);
        assertThat(new TransferTimeoutException("x", setup).errorCode()).isEqualTo(FailureCode.USB_TIMEOUT);
        assertThat(new TransportIoException("x", setup).errorCode()).isEqualTo(FailureCode.USB_IO);
    }

    @Test
    void eachPurposeNamesTheStatesAn3156AcceptsBeforeIt() {
        assertThat(IdleFor.IDLE.acceptedStates()).containsExactly(DfuState.DFU_IDLE);
        assertThat(IdleFor.DOWNLOAD.acceptedStates())
                .containsExactlyInAnyOrder(DfuState.DFU_IDLE, DfuState.DFU_DNLOAD_IDLE);
        assertThat(IdleFor.UPLOAD.acceptedStates())
                .containsExactlyInAnyOrder(DfuState.DFU_IDLE, DfuState.DFU_UPLOAD_IDLE);
    }

    @Test
    void aFunctionalDescriptorShorterThanSevenBytesIsRefusedWhateverTheArraySays() {
        assertThatThrownBy(() -> DfuFunctionalDescriptor.decode(new byte[] {0x06, 0x21, 0x0B, 0, 0, 0, 0x08, 0, 0}))
                .isInstanceOf(DfuProtocolException.class).hasMessageContaining("not a DFU functional descriptor");
    }

    @Test
    void aSevenByteFunctionalDescriptorIsDfu10EvenWithBytesAfterIt() {
        DfuFunctionalDescriptor d = DfuFunctionalDescriptor.decode(
                new byte[] {0x07, 0x21, 0x0B, (byte) 0xFF, 0, 0, 0x08, 0x1A, 0x01});

        assertThat(d.transferSize()).isEqualTo(2048);
        assertThat(d.bcdDfuVersion()).isEqualTo(0x0100);
    }

    @Test
    void aTwoByteDescriptorBeforeTheFunctionalOneIsSkipped() {
        byte[] extra = {0x02, 0x30, 0x09, 0x21, 0x0B, (byte) 0xFF, 0, 0, 0x08, 0x1A, 0x01};

        DfuFunctionalDescriptor d = DfuFunctionalDescriptor.find(extra);

        assertThat(d.transferSize()).isEqualTo(2048);
        assertThat(d.bcdDfuVersion()).isEqualTo(0x011A);
    }

    @Test
    void theSmallestTransferSizeCarriesTwoByteBlocks() {
        assertThat(BlockPlan.of(0x2000_0000L, 4, 2).blocks()).containsExactly(
                new BlockPlan.Block(0x2000_0000L, 0, 2, 2, true), new BlockPlan.Block(0x2000_0002L, 2, 2, 3, false));
        assertThatThrownBy(() -> BlockPlan.of(0x2000_0000L, 4, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTransferSizeOfThreeCanStillRebalanceASingleTrailingByte() {
        assertThat(BlockPlan.of(0x2000_0000L, 4, 3).blocks()).containsExactly(
                new BlockPlan.Block(0x2000_0000L, 0, 2, 2, true), new BlockPlan.Block(0x2000_0002L, 2, 2, 2, true));
    }
}
