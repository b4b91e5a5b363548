package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.StallException;
import com.flashline.dfu.VirtualClock;
import com.flashline.sim.ProtocolViolation.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StateMachineTest {

    private final VirtualClock clock = new VirtualClock();
    private SimulatedStm32 board;
    private RawDfu dfu;

    @BeforeEach
    void setUp() {
        board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock).build();
        dfu = new RawDfu(board.connect(), clock);
    }

    private void assertStalledIntoError(Runnable request, Kind kind) {
        int before = board.violations().size();
        assertThatThrownBy(request::run).isInstanceOf(StallException.class);
        assertThat(board.violations()).hasSize(before + 1);
        assertThat(board.violations().get(before).kind()).isEqualTo(kind);
        DfuStatus s = dfu.getStatus();
        assertThat(s.state()).isEqualTo(DfuState.DFU_ERROR);
        assertThat(s.status()).isEqualTo(DfuStatusCode.ERR_STALLEDPKT);
        dfu.clrStatus();
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_IDLE);
    }

    @Test
    void startsIdleAndGetStateAnswersOneByte() {
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_IDLE));
        byte[] state = dfu.transport.controlIn(DfuRequest.GETSTATE.setup(0, 0, 1), RawDfu.TIMEOUT);
        assertThat(state).containsExactly(DfuState.DFU_IDLE.code());
    }

    @Test
    void commandGoesSyncBusyThenDownloadIdle() {
        dfu.dnload(0, RawDfu.addressCommand(0x21, 0x0800_4000L));
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_DNLOAD_SYNC);
        DfuStatus first = dfu.getStatus();
        assertThat(first.state()).isEqualTo(DfuState.DFU_DNBUSY);
        assertThat(first.status()).isEqualTo(DfuStatusCode.OK);
        DfuStatus second = dfu.getStatus();
        assertThat(second).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_DNLOAD_IDLE));
        assertThat(board.addressPointer()).isEqualTo(0x0800_4000L);
        dfu.abort();
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_IDLE);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void getCommandListsTheFourCommandsAndLeavesTheDeviceIdle() {
        assertThat(dfu.upload(0, 2048)).containsExactly(0x00, 0x21, 0x41, 0x92);
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_IDLE);
        assertThat(dfu.upload(0, 2)).containsExactly(0x00, 0x21);
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_UPLOAD_IDLE);
        dfu.abort();
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void readLeavesUploadIdleWhereDownloadIsForbiddenUntilAbort() {
        dfu.upload(2, 64);
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_UPLOAD_IDLE);
        dfu.upload(3, 64);
        assertStalledIntoError(() -> dfu.dnload(0, RawDfu.addressCommand(0x21, 0x0800_0000L)),
                Kind.REQUEST_IN_FORBIDDEN_STATE);
        dfu.upload(2, 64);
        dfu.abort();
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_IDLE);
    }

    @Test
    void uploadIsForbiddenInDownloadIdle() {
        dfu.setAddress(0x0800_0000L);
        assertStalledIntoError(() -> dfu.upload(2, 16), Kind.REQUEST_IN_FORBIDDEN_STATE);
    }

    @Test
    void onlyStatusAndStateAreAcceptedInDownloadSync() {
        List<Runnable> forbidden = List.of(
                () -> dfu.abort(),
                () -> dfu.clrStatus(),
                () -> dfu.upload(2, 16),
                () -> dfu.dnload(0, RawDfu.addressCommand(0x21, 0x0800_0000L)));
        for (Runnable r : forbidden) {
            dfu.dnload(0, RawDfu.addressCommand(0x21, 0x0800_0000L));
            assertThat(dfu.getState()).isEqualTo(DfuState.DFU_DNLOAD_SYNC);
            assertStalledIntoError(r, Kind.REQUEST_IN_FORBIDDEN_STATE);
        }
    }

    @Test
    void everythingButGetStatusIsForbiddenWhileBusy() {
        SimulatedStm32 slow = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .options(SimOptions.realistic().withStatusTiming(SimOptions.StatusTiming.ACCURATE)).build();
        RawDfu d = new RawDfu(slow.connect(), clock);
        d.dnload(0, RawDfu.addressCommand(0x41, 0x0800_0000L));
        DfuStatus busy = d.getStatus();
        assertThat(busy.state()).isEqualTo(DfuState.DFU_DNBUSY);
        d.sleep(busy.pollTimeoutMillis());
        // the erase has run its time: dfuDNBUSY became dfuDNLOAD-SYNC, where GETSTATE is fine
        assertThat(d.getState()).isEqualTo(DfuState.DFU_DNLOAD_SYNC);
        assertThat(d.getStatus().state()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);

        d.dnload(0, RawDfu.addressCommand(0x41, 0x0800_0000L));
        busy = d.getStatus();
        d.sleep(busy.pollTimeoutMillis() / 2);
        assertThatThrownBy(d::getState).isInstanceOf(StallException.class);
        assertThat(slow.violations()).extracting(ProtocolViolation::kind)
                .containsExactly(Kind.POLLED_TOO_EARLY, Kind.REQUEST_IN_FORBIDDEN_STATE);
        assertThat(d.getStatus().state()).isEqualTo(DfuState.DFU_ERROR);
    }

    @Test
    void clearStatusIsOnlyForErrorAndAbortNotForError() {
        assertStalledIntoError(dfu::clrStatus, Kind.REQUEST_IN_FORBIDDEN_STATE);
        dfu.setAddress(0x0000_0004L); // errTARGET
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_ERROR);
        assertThatThrownBy(dfu::abort).isInstanceOf(StallException.class);
        assertThatThrownBy(() -> dfu.upload(2, 16)).isInstanceOf(StallException.class);
        assertThat(dfu.getStatus().status()).isEqualTo(DfuStatusCode.ERR_STALLEDPKT);
        dfu.clrStatus();
        assertThat(dfu.getStatus()).isEqualTo(DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_IDLE));
    }

    @Test
    void badSetupPacketsAreStalledAndLogged() {
        assertStalledIntoError(() -> dfu.rawIn(0xA1, 0x03, 0, 0, 8), Kind.BAD_SETUP); // GETSTATUS wLength 8
        assertStalledIntoError(() -> dfu.rawIn(0xA1, 0x05, 0, 0, 2), Kind.BAD_SETUP); // GETSTATE wLength 2
        assertStalledIntoError(() -> dfu.rawIn(0x21, 0x03, 0, 0, 6), Kind.BAD_SETUP); // AN3156's typo 0x21
        assertStalledIntoError(() -> dfu.raw(0xA1, 0x04, 0, 0, new byte[0]), Kind.BAD_SETUP); // CLRSTATUS as IN
        assertStalledIntoError(() -> dfu.raw(0x21, 0x06, 5, 0, new byte[0]), Kind.BAD_SETUP); // ABORT wValue 5
        assertStalledIntoError(() -> dfu.upload(1, 16), Kind.BAD_SETUP); // wValue 1 is no command
        assertStalledIntoError(() -> dfu.upload(2, 0), Kind.BAD_SETUP);
        assertStalledIntoError(() -> dfu.dnload(1, new byte[16]), Kind.BAD_SETUP);
    }

    @Test
    void requestsToAnotherInterfaceOrOfAnotherTypeAreStalledWithoutStateChange() {
        assertThatThrownBy(() -> dfu.rawIn(0xA1, 0x03, 0, 1, 6)).isInstanceOf(StallException.class);
        assertThatThrownBy(() -> dfu.rawIn(0xC0, 0x03, 0, 0, 6)).isInstanceOf(StallException.class);
        assertThatThrownBy(() -> dfu.rawIn(0xA1, 0x09, 0, 0, 6)).isInstanceOf(StallException.class);
        assertThat(board.violations()).extracting(ProtocolViolation::kind)
                .containsExactly(Kind.BAD_SETUP, Kind.BAD_SETUP, Kind.BAD_SETUP);
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_IDLE);
    }

    @Test
    void transfersLargerThanTransferSizeAreRefused() {
        assertStalledIntoError(() -> dfu.upload(2, 4096), Kind.TRANSFER_TOO_LARGE);
        assertStalledIntoError(() -> dfu.dnload(2, new byte[2049]), Kind.TRANSFER_TOO_LARGE);
    }

    @Test
    void unknownCommandIsStalledAtItsGetStatus() {
        dfu.dnload(0, new byte[] {0x55, 1, 2, 3, 4});
        assertStalledIntoError(dfu::getStatus, Kind.UNKNOWN_COMMAND);
        dfu.dnload(0, new byte[] {0x21, 0, 0, 0}); // Set Address needs 5 bytes
        assertStalledIntoError(dfu::getStatus, Kind.UNKNOWN_COMMAND);
        dfu.dnload(0, new byte[] {0x00}); // Get is read with an UPLOAD, never downloaded
        assertStalledIntoError(dfu::getStatus, Kind.UNKNOWN_COMMAND);
        dfu.dnload(0, new byte[] {(byte) 0x92, 0, 0, 0, 0x08}); // Read Unprotect takes no address
        assertStalledIntoError(dfu::getStatus, Kind.UNKNOWN_COMMAND);
        assertThat(board.enumerationCount()).isEqualTo(1); // no Read Unprotect ran: the ROM did not reset
    }

    @Test
    void detachMakesTheRomReenumerate() {
        List<String> events = new ArrayList<>();
        board.addListener(new SimulatedStm32.Listener() {
            @Override
            public void disconnected(DisconnectReason reason) {
                events.add("gone:" + reason);
            }

            @Override
            public void reenumerated() {
                events.add("back");
            }
        });
        dfu.raw(0x21, 0x00, 255, 0, new byte[0]);
        assertThat(events).containsExactly("gone:DETACH", "back");
        assertThatThrownBy(dfu::getStatus).isInstanceOf(DeviceGoneException.class);
        assertThat(new RawDfu(board.connect(), clock).getState()).isEqualTo(DfuState.DFU_IDLE);
        assertThat(board.enumerationCount()).isEqualTo(2);
    }

    @Test
    void altSettingChangesOnlyWhenIdle() {
        dfu.transport.selectAltSetting(1);
        assertThatThrownBy(() -> dfu.transport.selectAltSetting(4)).isInstanceOf(StallException.class);
        dfu.upload(2, 16);
        assertThatThrownBy(() -> dfu.transport.selectAltSetting(0)).isInstanceOf(StallException.class);
        assertThat(board.violations()).extracting(ProtocolViolation::kind)
                .containsExactly(Kind.REQUEST_IN_FORBIDDEN_STATE);
    }

    @Test
    void countsRequests() {
        dfu.getStatus();
        dfu.getStatus();
        dfu.upload(0, 4);
        assertThat(board.requestCount(DfuRequest.GETSTATUS)).isEqualTo(2);
        assertThat(board.requestCount(DfuRequest.UPLOAD)).isEqualTo(1);
        assertThat(board.controlTransferCount()).isEqualTo(3);
    }

    @Test
    void closedTransportRefusesTransfers() {
        dfu.transport.close();
        assertThatThrownBy(dfu::getStatus).isInstanceOf(com.flashline.dfu.TransportIoException.class);
    }
}
