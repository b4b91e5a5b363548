package com.flashline.dfu;

import static com.flashline.dfu.DfuRequest.ABORT;
import static com.flashline.dfu.DfuRequest.CLRSTATUS;
import static com.flashline.dfu.DfuRequest.DNLOAD;
import static com.flashline.dfu.DfuRequest.GETSTATE;
import static com.flashline.dfu.DfuRequest.GETSTATUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link DfuDevice} when the bus or the ROM misbehaves: malformed answers, failing transfers,
 * stalled requests during recovery and polling, and a wedge CLRSTATUS cannot clear. After each the
 * engine must not trust a state it did not see (AN3156 section 5: every request depends on it).
 */
class DfuDeviceFaultTest {

    private final VirtualClock clock = new VirtualClock();
    private final FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
    /** Answers are rewritten only once the engine has seen the device idle. */
    private boolean rewriting;

    /** The fake behind a transport that rewrites the answers to one request. */
    private DfuTransport answering(DfuRequest request, UnaryOperator<byte[]> rewrite) {
        return new ForwardingTransport(fake) {
            @Override
            public byte[] controlIn(ControlSetup setup, Duration timeout) {
                byte[] answer = fake.controlIn(setup, timeout);
                return rewriting && setup.bRequest() == request.code() ? rewrite.apply(answer) : answer;
            }
        };
    }

    /** A device whose idle state the engine has seen, so any later "must ask" shows as a GETSTATUS. */
    private DfuSeDevice knownIdle(DfuTransport transport, DfuOptions options) {
        DfuSeDevice device = new DfuSeDevice(transport, clock, options);
        device.getStatus();
        assertThat(device.knownState()).contains(DfuState.DFU_IDLE);
        fake.transfers.clear();
        rewriting = true;
        return device;
    }

    private DfuSeDevice knownIdle(DfuTransport transport) {
        return knownIdle(transport, DfuOptions.DEFAULTS);
    }

    private List<DfuRequest> requests() {
        return fake.transfers.stream().map(FakeDfuDevice.Transfer::request).toList();
    }

    // ---------------------------------------------------------------- malformed answers

    @Test
    void aGetStateAnswerWithoutItsByteIsAProtocolErrorAndTheStateIsAskedAgain() {
        DfuSeDevice device = knownIdle(answering(GETSTATE, answer -> new byte[0]));

        assertThatThrownBy(device::getState).isInstanceOf(DfuProtocolException.class)
                .hasMessageContaining("GETSTATE answer must be 1 byte, got 0");
        assertThat(device.knownState()).isEmpty();
    }

    @Test
    void aGetStateAnswerWithAnUndefinedStateForgetsTheState() {
        DfuSeDevice device = knownIdle(answering(GETSTATE, answer -> new byte[] {0x7F}));

        assertThatThrownBy(device::getState).isInstanceOf(DfuProtocolException.class)
                .hasMessageContaining("unknown bState 127");
        assertThat(device.knownState()).isEmpty();
    }

    @Test
    void aGetStateAnswerIsWhatTheEngineKnowsFromThenOn() {
        DfuSeDevice device = knownIdle(fake);
        fake.state = DfuState.DFU_DNLOAD_IDLE;

        assertThat(device.getState()).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
        assertThat(device.knownState()).contains(DfuState.DFU_DNLOAD_IDLE);
    }

    @Test
    void aStatusAnswerLongerThanAskedIsAProtocolErrorAndTheStateIsAskedAgain() {
        DfuSeDevice device = knownIdle(answering(GETSTATUS, answer -> new byte[7]));

        assertThatThrownBy(device::getStatus).isInstanceOf(DfuProtocolException.class)
                .hasMessageContaining("GETSTATUS answered 7 bytes to a request for 6");
        assertThat(device.knownState()).isEmpty();
    }

    @Test
    void noAnswerAtAllIsAProtocolError() {
        DfuSeDevice device = knownIdle(answering(GETSTATUS, answer -> null));

        assertThatThrownBy(device::getStatus).isInstanceOf(DfuProtocolException.class)
                .hasMessageContaining("GETSTATUS answered nothing to a request for 6");
        assertThat(device.knownState()).isEmpty();
    }

    @Test
    void aStatusAnswerWithAnUndefinedStateForgetsTheState() {
        DfuSeDevice device = knownIdle(answering(GETSTATUS, answer -> {
            answer[4] = 0x33;
            return answer;
        }));

        assertThatThrownBy(device::getStatus).isInstanceOf(DfuProtocolException.class)
                .hasMessageContaining("unknown bState 51");
        assertThat(device.knownState()).isEmpty();
        assertThat(device.lastStatus()).as("the answer before the bad one").hasValueSatisfying(
                s -> assertThat(s.state()).isEqualTo(DfuState.DFU_IDLE));
    }

    @Test
    void anAnswerTheDeviceCutShortIsNotTakenAsUploadIdle() {
        DfuSeDevice device = knownIdle(answering(DfuRequest.UPLOAD, answer -> java.util.Arrays.copyOf(answer, 8)));

        byte[] data = device.upload(2, 16);

        assertThat(data).hasSize(8);
        assertThat(device.knownState()).as("DFU 1.1 says dfuIDLE, ROMs differ: ask").isEmpty();
        assertThat(device.statistics().bytesUp()).isEqualTo(8);
    }

    @Test
    void aFullUploadLeavesTheDeviceInUploadIdle() {
        DfuSeDevice device = knownIdle(fake);

        device.upload(2, 16);

        assertThat(device.knownState()).contains(DfuState.DFU_UPLOAD_IDLE);
        assertThat(device.statistics().bytesUp()).isEqualTo(16);
    }

    @Test
    void aZeroLengthDownloadStartsManifestation() {
        DfuSeDevice device = knownIdle(fake);

        device.download(2, new byte[0]);

        assertThat(device.knownState()).contains(DfuState.DFU_MANIFEST_SYNC);
        assertThat(device.statistics().bytesDown()).isZero();
        assertThat(device.statistics().transfers(DNLOAD)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- failing transfers

    @Test
    void aFailedOutTransferForgetsTheStateAndIsCountedAsAnAttempt() {
        DfuTransport unplugged = new ForwardingTransport(fake) {
            @Override
            public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
                throw new TransportIoException("pipe error", setup);
            }
        };
        DfuSeDevice device = knownIdle(unplugged);

        assertThatThrownBy(() -> device.download(2, new byte[4])).isInstanceOf(TransportIoException.class);
        assertThat(device.knownState()).isEmpty();
        assertThat(device.statistics().transfers(DNLOAD)).isEqualTo(1);
        assertThat(device.statistics().bytesDown()).as("nothing went down").isZero();
    }

    @Test
    void aFailedInTransferForgetsTheState() {
        DfuTransport unplugged = new ForwardingTransport(fake) {
            private boolean first = true;

            @Override
            public byte[] controlIn(ControlSetup setup, Duration timeout) {
                if (first) {
                    first = false;
                    return fake.controlIn(setup, timeout);
                }
                throw new DeviceGoneException("unplugged", setup);
            }
        };
        DfuSeDevice device = knownIdle(unplugged);

        assertThatThrownBy(() -> device.upload(2, 16)).isInstanceOf(DeviceGoneException.class);
        assertThat(device.knownState()).isEmpty();
    }

    @Test
    void aStalledDownloadOfAHealthyDeviceIsTheStallItself() {
        DfuTransport refusing = new ForwardingTransport(fake) {
            @Override
            public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
                throw new StallException("refused", setup);
            }
        };
        DfuSeDevice device = knownIdle(refusing);

        assertThatThrownBy(() -> device.setAddressPointer(0x0800_0000L)).isInstanceOf(StallException.class)
                .hasMessageStartingWith("refused");
        assertThat(requests()).as("GETSTATUS asked why").containsExactly(GETSTATUS);
    }

    @Test
    void aStallThatCannotBeExplainedKeepsTheReasonItCouldNotBe() {
        DfuTransport vanishing = new ForwardingTransport(fake) {
            @Override
            public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
                fake.gone = true;
                throw new StallException("refused", setup);
            }
        };
        DfuSeDevice device = knownIdle(vanishing);

        assertThatThrownBy(() -> device.setAddressPointer(0x0800_0000L)).isInstanceOfSatisfying(StallException.class,
                e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(DeviceGoneException.class));
    }

    // ---------------------------------------------------------------- recovery

    @Test
    void anErrorStatusReportedInIdleIsClearedNotAborted() {
        fake.status = DfuStatusCode.ERR_TARGET;
        DfuTransport rom = new ForwardingTransport(fake) {
            @Override
            public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
                if (setup.bRequest() == CLRSTATUS.code()) {
                    fake.state = DfuState.DFU_ERROR; // this ROM takes the error status for dfuERROR
                }
                fake.controlOut(setup, data, timeout);
            }
        };
        DfuSeDevice device = new DfuSeDevice(rom, clock, DfuOptions.DEFAULTS);

        device.ensureIdle(IdleFor.DOWNLOAD);

        assertThat(requests()).containsExactly(GETSTATUS, CLRSTATUS, GETSTATUS);
        assertThat(fake.status).isEqualTo(DfuStatusCode.OK);
    }

    @Test
    void aStalledStatusRequestIsTakenForDfuErrorAndCleared() {
        DfuTransport stallsOnce = new ForwardingTransport(fake) {
            private boolean stalled;

            @Override
            public byte[] controlIn(ControlSetup setup, Duration timeout) {
                if (!stalled) {
                    stalled = true;
                    fake.state = DfuState.DFU_ERROR; // DFU 1.1: a stalled request leaves dfuERROR
                    fake.status = DfuStatusCode.ERR_STALLEDPKT;
                    throw new StallException("stalled", setup);
                }
                return fake.controlIn(setup, timeout);
            }
        };
        DfuSeDevice device = new DfuSeDevice(stallsOnce, clock, DfuOptions.DEFAULTS);

        device.ensureIdle(IdleFor.UPLOAD);

        assertThat(requests()).containsExactly(CLRSTATUS, GETSTATUS);
        assertThat(fake.state).isEqualTo(DfuState.DFU_IDLE);
    }

    @Test
    void aStalledRecoveryRequestMakesTheEngineAskWhereTheDeviceIsNow() {
        fake.state = DfuState.DFU_DNLOAD_IDLE;
        DfuTransport stallsFirstAbort = new ForwardingTransport(fake) {
            private boolean stalled;

            @Override
            public void controlOut(ControlSetup setup, byte[] data, Duration timeout) {
                if (setup.bRequest() == ABORT.code() && !stalled) {
                    stalled = true;
                    fake.state = DfuState.DFU_ERROR;
                    fake.status = DfuStatusCode.ERR_STALLEDPKT;
                    throw new StallException("stalled", setup);
                }
                fake.controlOut(setup, data, timeout);
            }
        };
        DfuSeDevice device = new DfuSeDevice(stallsFirstAbort, clock, DfuOptions.DEFAULTS);

        device.ensureIdle(IdleFor.IDLE);

        assertThat(requests()).containsExactly(GETSTATUS, GETSTATUS, CLRSTATUS, GETSTATUS);
        assertThat(fake.state).isEqualTo(DfuState.DFU_IDLE);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void aBusyRomThatHoldsItsStatusIsAskedAgainWithoutWaiting() {
        fake.holdsEarlyStatus = true;
        fake.pollTimeoutMillis = 500;
        fake.busyWithEarlierCommand(1);
        DfuSeDevice device = new DfuSeDevice(fake, clock,
                DfuOptions.DEFAULTS.withPollPolicy(PollPolicy.heldStatus(Duration.ofSeconds(32))));

        device.ensureIdle(IdleFor.DOWNLOAD);

        assertThat(fake.transfers).extracting(t -> t.request() + "@" + t.atNanos() / 1_000_000)
                .containsExactly("GETSTATUS@0", "GETSTATUS@0");
        assertThat(fake.state).isEqualTo(DfuState.DFU_DNLOAD_IDLE);
    }

    // ---------------------------------------------------------------- polling

    @Test
    void aStateNoOperationEndsInIsAProtocolError() {
        DfuTransport confused = new ForwardingTransport(fake) {
            @Override
            public byte[] controlIn(ControlSetup setup, Duration timeout) {
                byte[] answer = fake.controlIn(setup, timeout);
                if (setup.bRequest() == GETSTATUS.code() && fake.count(DNLOAD) > 0) {
                    return DfuStatus.of(DfuStatusCode.OK, DfuState.DFU_UPLOAD_IDLE).encode();
                }
                return answer;
            }
        };
        DfuSeDevice device = knownIdle(confused);

        assertThatThrownBy(() -> device.setAddressPointer(0x0800_0000L))
                .isInstanceOfSatisfying(DfuProtocolException.class, e -> {
                    assertThat(e.request()).isEqualTo(DNLOAD);
                    assertThat(e.state()).isEqualTo(DfuState.DFU_UPLOAD_IDLE);
                    assertThat(e.getMessage()).contains("set address pointer to 0x08000000",
                            "unexpected state dfuUPLOAD-IDLE");
                });
    }

    @Test
    void stallsThatWouldOutlastTheOperationTimeoutEndItEarly() {
        fake.busyPolls = 1;
        fake.pollTimeoutMillis = 10;
        fake.stallsWhileBusy = 5;
        DfuSeDevice device = knownIdle(fake, DfuOptions.DEFAULTS.withCommandTimeout(Duration.ofMillis(50)));

        // busy at 0 (10 ms), stall at 10 (back-off 20 ms, to 30), stall at 30 (back-off 40 ms: past 50)
        assertThatThrownBy(() -> device.setAddressPointer(0x0800_0000L))
                .isInstanceOfSatisfying(DfuTimeoutException.class, e -> {
                    assertThat(e.request()).isEqualTo(DNLOAD);
                    assertThat(e.state()).isEqualTo(DfuState.DFU_DNBUSY);
                    assertThat(e.getMessage()).contains("set address pointer to 0x08000000", "PT0.05S",
                            "GETSTATUS stalled 2 times");
                });
        assertThat(fake.transfers(GETSTATUS)).extracting(t -> t.atNanos() / 1_000_000).containsExactly(0L, 10L, 30L);
    }

    @Test
    void aStallBackOffEndingExactlyAtTheDeadlineIsStillWaited() {
        fake.busyPolls = 1;
        fake.pollTimeoutMillis = 10;
        fake.stallsWhileBusy = 1;
        DfuSeDevice device = knownIdle(fake, DfuOptions.DEFAULTS.withCommandTimeout(Duration.ofMillis(30)));

        device.setAddressPointer(0x0800_4000L);

        assertThat(fake.pointer).isEqualTo(0x0800_4000L);
        assertThat(fake.transfers(GETSTATUS)).extracting(t -> t.atNanos() / 1_000_000).containsExactly(0L, 10L, 30L);
    }

    @Test
    void aWedgeThreeClearStatusCannotClearIsAStateError() {
        fake.pollTimeoutMillis = 1100;
        fake.wedgesOnErase = true;
        fake.clearStatusOutsideErrorEntersError = true;
        fake.ignoresRecovery = true;
        DfuSeDevice device = knownIdle(fake,
                DfuOptions.DEFAULTS.withPollPolicy(PollPolicy.wedgeRecovering(Duration.ofMillis(4400))));

        assertThatThrownBy(() -> device.eraseSector(0x0800_0000L))
                .isInstanceOfSatisfying(DfuStateException.class, e -> {
                    assertThat(e.request()).isEqualTo(CLRSTATUS);
                    assertThat(e.state()).isEqualTo(DfuState.DFU_ERROR);
                    assertThat(e.getMessage()).contains("erase sector at 0x08000000",
                            "3 CLRSTATUS did not bring it back");
                });
        assertThat(fake.count(CLRSTATUS)).isEqualTo(3);
        assertThat(device.statistics().wedgeRecoveries()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- alt settings

    @Test
    void anUnknownAltSettingIsRefusedNamingTheOnesThereAre() {
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

        assertThatThrownBy(() -> device.selectAltSetting(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no alt setting 5; the device has [0, 1]");
        assertThat(fake.transfers).isEmpty();
    }

    @Test
    void selectingTheCurrentAltSettingSendsNothing() {
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

        device.selectAltSetting(0);

        assertThat(fake.transfers).isEmpty();
        assertThat(device.statistics().altSettingSwitches()).isZero();
        assertThat(device.currentAltSetting()).isZero();
    }

    @Test
    void theInterfaceAndTheActiveAltSettingComeFromTheFirstAltSetting() {
        DfuTransport second = new ForwardingTransport(fake) {
            @Override
            public List<DfuAltSetting> altSettings() {
                return List.of(new DfuAltSetting(2, 3, FakeDfuDevice.FLASH_LAYOUT),
                        new DfuAltSetting(2, 4, FakeDfuDevice.OPTION_LAYOUT));
            }
        };
        DfuDevice device = new DfuDevice(second, clock, DfuOptions.DEFAULTS);

        assertThat(device.interfaceNumber()).isEqualTo(2);
        assertThat(device.currentAltSetting()).isEqualTo(3);
        assertThat(device.transport()).isSameAs(second);
        assertThat(device.options()).isSameAs(DfuOptions.DEFAULTS);
        assertThat(device.pollPolicy()).isSameAs(PollPolicy.SPEC_LITERAL);
    }

    @Test
    void aDeviceWithoutAltSettingsUsesInterfaceZero() {
        DfuTransport bare = new ForwardingTransport(fake) {
            @Override
            public List<DfuAltSetting> altSettings() {
                return List.of();
            }
        };
        DfuDevice device = new DfuDevice(bare, clock, DfuOptions.DEFAULTS);

        assertThat(device.interfaceNumber()).isZero();
        assertThat(device.currentAltSetting()).isZero();
        assertThat(device.altSettings()).isEmpty();
    }

    @Test
    void busyUntilExactlyTheOperationTimeoutIsStillWaitedFor() {
        fake.busyPolls = 3;
        fake.pollTimeoutMillis = 10;
        DfuSeDevice device = knownIdle(fake, DfuOptions.DEFAULTS.withCommandTimeout(Duration.ofMillis(30)));

        device.setAddressPointer(0x0800_4000L);

        assertThat(fake.pointer).isEqualTo(0x0800_4000L);
        assertThat(fake.transfers(GETSTATUS)).extracting(t -> t.atNanos() / 1_000_000)
                .containsExactly(0L, 10L, 20L, 30L);
    }

    @Test
    void aClearedWedgeEndsTheWaitWithTheIdleStatus() {
        fake.pollTimeoutMillis = 1100;
        fake.wedgesOnErase = true;
        fake.clearStatusOutsideErrorEntersError = true;
        DfuSeDevice device = knownIdle(fake,
                DfuOptions.DEFAULTS.withPollPolicy(PollPolicy.wedgeRecovering(Duration.ofMillis(4400))));

        device.download(0, DfuSeCommand.ERASE.payload(0x0800_0000L));
        DfuStatus status = device.awaitCompletion(DfuOperation.ERASE_SECTOR);

        assertThat(status.state()).isEqualTo(DfuState.DFU_IDLE);
        assertThat(status.isError()).isFalse();
        assertThat(device.recoveredFromWedge()).isTrue();
    }

    @Test
    void anUploadOfSixBytesIsAnUploadNotAStatusRequest() {
        DfuSeDevice device = knownIdle(fake);

        device.upload(0, 6);

        assertThat(fake.transfers).singleElement()
                .satisfies(t -> assertThat(t.setup()).isEqualTo(new ControlSetup(0xA1, 0x02, 0, 0, 6)));
    }
}
