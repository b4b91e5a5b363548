package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.ForwardingTransport;
import com.flashline.dfu.MemoryLayoutException;
import com.flashline.dfu.TransferTimeoutException;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.dfu.VirtualClock;
import com.flashline.error.FailureCode;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.Segment;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.Fault;
import com.flashline.sim.NoProtocolViolations;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every way a board fails becomes a FlashFailure with the phase, a stable code and whether to retry. */
class FlashPipelineFailureTest {

    private static final ChipProfile F407 = ChipProfile.STM32F407;
    private static final long FLASH = 0x0800_0000L;

    /** Failing, retrying and cancelling keep to the protocol too. */
    @RegisterExtension
    final NoProtocolViolations protocol = new NoProtocolViolations();

    private final VirtualClock clock = new VirtualClock();
    private final FlashPipeline pipeline = SimFixture.pipeline(clock);
    private final FirmwareImage image = SimFixture.image(new Segment(FLASH, SimFixture.random(10_000, 5)));

    private SimulatedStm32 board() {
        return protocol.watch(SimFixture.usedBoard(F407, SimOptions.realistic(), clock).build());
    }

    private FlashFailure failureOf(SimulatedStm32 board, FlashRequest request, FlashListener listener,
            BooleanSupplier cancelled) {
        return catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(request, SimFixture.connector(board), listener, cancelled));
    }

    private FlashFailure failureOf(SimulatedStm32 board, FlashRequest request) {
        return failureOf(board, request, FlashListener.NONE, () -> false);
    }

    @Test
    void aCorruptedReadBackFailsVerificationAtTheFirstDifferingAddress() {
        SimulatedStm32 board = board();
        board.inject(new Fault.CorruptReadback(FLASH + 4097, FLASH + 4200, 0x10));

        FlashFailure failure = failureOf(board, SimFixture.request(image));

        assertThat(failure.phase()).isEqualTo(Phase.VERIFY);
        assertThat(failure.code()).isEqualTo(FailureCode.VERIFY_MISMATCH);
        assertThat(failure.firstMismatchAddress()).isEqualTo(FLASH + 4097);
        byte written = image.segments().get(0).data()[4097];
        assertThat(failure.getMessage()).contains("0x08001001")
                .contains(String.format("wrote 0x%02X, read 0x%02X", written & 0xFF, (written ^ 0x10) & 0xFF));
        assertThat(failure.retryable()).isFalse();
        assertThat(board.memory(FLASH, 10_000)).isEqualTo(image.segments().get(0).data());
    }

    @Test
    void aBoardThatDropsOffWhileBeingWrittenIsGoneAndNotRetried() {
        SimulatedStm32 board = board();
        board.inject(new Fault.DisconnectOnWrite(FLASH + 6000, false));

        FlashFailure failure = failureOf(board, SimFixture.request(image));

        assertThat(failure.phase()).isEqualTo(Phase.WRITE);
        assertThat(failure.code()).isEqualTo(FailureCode.DEVICE_GONE);
        assertThat(failure.retryable()).isFalse();
    }

    @Test
    void aBoardUnpluggedDuringTheWriteIsGone() {
        SimulatedStm32 board = board();
        FlashListener unplugger = new FlashListener() {
            @Override
            public void progress(Phase phase, long bytesDone, long bytesTotal) {
                if (phase == Phase.WRITE && bytesDone >= 4096) {
                    board.unplug();
                }
            }
        };

        FlashFailure failure = failureOf(board, SimFixture.request(image), unplugger, () -> false);

        assertThat(failure.phase()).isEqualTo(Phase.WRITE);
        assertThat(failure.code()).isEqualTo(FailureCode.DEVICE_GONE);
        assertThat(failure.retryable()).isFalse();
    }

    @Test
    void anImageBeyondTheFlashIsRefusedBeforeAnythingIsErased() {
        SimulatedStm32 board = board();
        FirmwareImage outside = SimFixture.image(new Segment(FLASH, new byte[64]),
                new Segment(0x0820_0000L, new byte[64]));

        FlashFailure failure = failureOf(board, SimFixture.request(outside));

        assertThat(failure.code()).isEqualTo(FailureCode.IMAGE_OUTSIDE_DEVICE);
        assertThat(failure.phase()).isEqualTo(Phase.IDENTIFY);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).startsWith("image has bytes outside the device's writeable memory")
                .contains("0x08200000");
        assertThat(board.memory(FLASH, F407.flash().size())).isEqualTo(SimFixture.oldContent(F407));
    }

    @Test
    void optionBytesInsideTheImageAreRefusedAndMustComeAsTheirOwnBlock() {
        SimulatedStm32 board = board();

        FlashFailure failure = failureOf(board, SimFixture.request(SimFixture.corpus("blinky.hex")));

        assertThat(failure.code()).isEqualTo(FailureCode.OPTION_BYTES_IN_IMAGE);
        assertThat(failure.getMessage()).contains("0x1FFFC000").contains("optionBytes");
        assertThat(board.memory(FLASH, F407.flash().size())).isEqualTo(SimFixture.oldContent(F407));
    }

    @Test
    void anOptionByteBlockThatIsNotOneOfTheDevicesBlocksIsRefusedBeforeAnythingChanges() {
        SimulatedStm32 board = board();
        FlashRequest request = new FlashRequest(image, EraseMode.SECTORS, null,
                new OptionBytesBlock(0x1FFF_C000L, new byte[8]), false, false);

        FlashFailure failure = failureOf(board, request);

        assertThat(failure.code()).isEqualTo(FailureCode.OPTION_BYTES_INVALID);
        assertThat(board.memory(FLASH, F407.flash().size())).isEqualTo(SimFixture.oldContent(F407));
    }

    @Test
    void cancellingBetweenBlocksStopsTheWrite() {
        SimulatedStm32 board = board();
        AtomicBoolean cancel = new AtomicBoolean();
        FlashListener cancelAfterFirstBlock = new FlashListener() {
            @Override
            public void progress(Phase phase, long bytesDone, long bytesTotal) {
                if (phase == Phase.WRITE) {
                    cancel.set(true);
                }
            }
        };

        FlashFailure failure = failureOf(board, SimFixture.request(image), cancelAfterFirstBlock, cancel::get);

        assertThat(failure.phase()).isEqualTo(Phase.WRITE);
        assertThat(failure.code()).isEqualTo(FailureCode.CANCELLED);
        assertThat(failure.retryable()).isFalse();
        assertThat(board.memory(FLASH + F407.transferSize(), 16)).containsOnly((byte) 0xFF);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aJobCancelledBeforeItStartsNeverTouchesTheBoard() {
        SimulatedStm32 board = board();
        AtomicInteger connects = new AtomicInteger();

        FlashFailure failure = catchThrowableOfType(FlashFailure.class, () -> pipeline.run(SimFixture.request(image),
                timeout -> {
                    connects.incrementAndGet();
                    return board.connect();
                }, FlashListener.NONE, () -> true));

        assertThat(failure.code()).isEqualTo(FailureCode.CANCELLED);
        assertThat(failure.phase()).isEqualTo(Phase.CONNECT);
        assertThat(connects).hasValue(0);
    }

    @Test
    void aFailedEraseIsRetryableAndTheRetryPasses() {
        SimulatedStm32 board = board();
        board.inject(new Fault.ErrorStatusOnNextWriteOrErase(DfuStatusCode.ERR_ERASE));

        FlashFailure failure = failureOf(board, SimFixture.request(image));

        assertThat(failure.phase()).isEqualTo(Phase.ERASE);
        assertThat(failure.code()).isEqualTo(FailureCode.DFU_ERR_ERASE);
        assertThat(failure.retryable()).isTrue();

        pipeline.run(SimFixture.request(image), SimFixture.connector(board), FlashListener.NONE, () -> false);
        assertThat(board.memory(FLASH, 10_000)).isEqualTo(image.segments().get(0).data());
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aTransferTimeoutOnAPresentBoardIsRetryable() {
        SimulatedStm32 board = board();
        ClosingConnector connector = new ClosingConnector(board);
        FlashListener timeOutFirstRead = new FlashListener() {
            @Override
            public void phaseStarted(Phase phase) {
                connector.timeOutNextIn = phase == Phase.VERIFY;
            }
        };

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(SimFixture.request(image), connector, timeOutFirstRead, () -> false));

        assertThat(failure.phase()).isEqualTo(Phase.VERIFY);
        assertThat(failure.code()).isEqualTo(FailureCode.USB_TIMEOUT);
        assertThat(failure.retryable()).isTrue();
    }

    @Test
    void aBoardThatIsNotThereFailsToConnect() {
        SimulatedStm32 board = board();
        board.unplug();

        FlashFailure failure = failureOf(board, SimFixture.request(image));

        assertThat(failure.phase()).isEqualTo(Phase.CONNECT);
        assertThat(failure.code()).isEqualTo(FailureCode.DEVICE_GONE);
        assertThat(failure.retryable()).isFalse();
    }

    @Test
    void theTransportIsClosedWhateverHappens() {
        SimulatedStm32 board = board();
        board.inject(new Fault.CorruptReadback(FLASH, FLASH + 2, 1));
        ClosingConnector connector = new ClosingConnector(board);

        catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(SimFixture.request(image), connector, FlashListener.NONE, () -> false));
        pipeline.run(SimFixture.request(SimFixture.image(new Segment(FLASH + 0x4000, new byte[32]))), connector,
                FlashListener.NONE, () -> false);

        assertThat(connector.opened).isEqualTo(2);
        assertThat(connector.closed).isEqualTo(2);
        assertThat(board.requestCount(DfuRequest.DNLOAD)).isPositive();
    }

    @Test
    void aDfuInterfaceThatCannotUploadOrCannotDownloadIsNotSupportedAndItsTransportIsClosed() {
        for (int attributes : new int[] {DfuFunctionalDescriptor.CAN_DOWNLOAD, DfuFunctionalDescriptor.CAN_UPLOAD}) {
            Altered port = new Altered(board());
            port.descriptor = new DfuFunctionalDescriptor(attributes, 255, F407.transferSize(), 0x011A);

            FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                    () -> pipeline.run(SimFixture.request(image), port, FlashListener.NONE, () -> false));

            assertThat(failure.code()).isEqualTo(FailureCode.UNSUPPORTED_DEVICE);
            assertThat(failure.phase()).isEqualTo(Phase.CONNECT);
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.getMessage()).contains(attributes == DfuFunctionalDescriptor.CAN_DOWNLOAD
                    ? "cannot upload (bmAttributes 0x1)" : "cannot download (bmAttributes 0x2)");
            assertThat(port.closed).isEqualTo(1);
        }
    }

    @Test
    void aBoardWhoseLayoutsHoldNoErasableWriteableFlashIsNotSupported() {
        Altered port = new Altered(board());
        port.alts = List.of(new DfuAltSetting(0, 0, "@Internal Flash  /0x08000000/04*016Ke,01*064Kc"),
                new DfuAltSetting(0, 1, "@Option Bytes  /0x1FFFC000/01*016 e"));

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(SimFixture.request(image), port, FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.UNSUPPORTED_DEVICE);
        assertThat(failure.phase()).isEqualTo(Phase.CONNECT);
        assertThat(failure.getMessage()).contains("no alt setting describes erasable, writeable flash");
        assertThat(port.closed).isEqualTo(1);
    }

    @Test
    void anUnreadableMemoryLayoutIsNotSupported() {
        Altered port = new Altered(board());
        port.alts = List.of(new DfuAltSetting(0, 0, "Internal Flash, no layout"));

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(SimFixture.request(image), port, FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.UNSUPPORTED_DEVICE);
        assertThat(failure.getMessage()).startsWith("unreadable memory layout");
        assertThat(failure.getCause()).isInstanceOf(MemoryLayoutException.class);
        assertThat(port.closed).isEqualTo(1);
    }

    @Test
    void aDfuDeviceWithoutTheDfuSeCommandsIsNotAnStm32Bootloader() {
        Altered port = new Altered(board());
        port.getCommandAnswer = new byte[] {0x00, 0x21};

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(SimFixture.request(image), port, FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.UNSUPPORTED_DEVICE);
        assertThat(failure.phase()).isEqualTo(Phase.CONNECT);
        assertThat(failure.getMessage()).startsWith("not an STM32 DfuSe bootloader");
        assertThat(port.closed).isEqualTo(1);
    }

    @Test
    void errVendorIsReadProtectionAndNotRetried() {
        SimulatedStm32 board = board();
        board.inject(new Fault.ErrorStatusOnNextWriteOrErase(DfuStatusCode.ERR_VENDOR));

        FlashFailure failure = failureOf(board, SimFixture.request(image));

        assertThat(failure.phase()).isEqualTo(Phase.ERASE);
        assertThat(failure.code()).isEqualTo(FailureCode.DFU_ERR_VENDOR);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).startsWith("ERASE: ").endsWith("(is the chip read-protected?)");
    }

    @Test
    void anythingElseThatGoesWrongIsAnInternalErrorOfItsPhase() {
        SimulatedStm32 board = board();
        IllegalStateException broken = new IllegalStateException("listener broke");
        FlashListener failing = new FlashListener() {
            @Override
            public void progress(Phase phase, long bytesDone, long bytesTotal) {
                if (phase == Phase.WRITE) {
                    throw broken;
                }
            }
        };

        FlashFailure failure = failureOf(board, SimFixture.request(image), failing, () -> false);

        assertThat(failure.phase()).isEqualTo(Phase.WRITE);
        assertThat(failure.code()).isEqualTo(FailureCode.INTERNAL_ERROR);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).isEqualTo("WRITE: listener broke");
        assertThat(failure.getCause()).isSameAs(broken);
    }

    @Test
    void anImageSegmentInOtpIsRefusedBecauseOnlyFlashIsWrittenFromAnImage() {
        SimulatedStm32 board = board();
        FirmwareImage otp = SimFixture.image(new Segment(FLASH, new byte[64]), new Segment(0x1FFF_7800L, new byte[32]));

        FlashFailure failure = failureOf(board, SimFixture.request(otp));

        assertThat(failure.code()).isEqualTo(FailureCode.IMAGE_OUTSIDE_DEVICE);
        assertThat(failure.phase()).isEqualTo(Phase.IDENTIFY);
        assertThat(failure.getMessage()).isEqualTo("the image has 32 bytes at 0x1FFF7800 outside the internal flash; "
                + "only flash is written from an image");
        assertThat(board.memory(0x1FFF_7800L, 32)).containsOnly((byte) 0xFF);
    }

    @Test
    void memoryRightBeforeOrRightAfterTheOptionBytesIsNotTakenForThem() {
        List<DfuAltSetting> alts = List.of(new DfuAltSetting(0, 0, F407.altSettingNames().get(0)),
                new DfuAltSetting(0, 1, "@Option Bytes  /0x1FFFC000/01*016 e"),
                new DfuAltSetting(0, 2, "@OTP Memory /0x1FFFBFE0/01*032 e/0x1FFFC010/01*032 e"));
        for (long next : new long[] {0x1FFF_BFF0L, 0x1FFF_C010L}) {
            Altered port = new Altered(board());
            port.alts = alts;
            FirmwareImage beside = SimFixture.image(new Segment(next, new byte[16]));

            FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                    () -> pipeline.run(SimFixture.request(beside), port, FlashListener.NONE, () -> false));

            assertThat(failure.code()).as("16 bytes at %x", next).isEqualTo(FailureCode.IMAGE_OUTSIDE_DEVICE);
            assertThat(failure.getMessage()).contains("outside the internal flash");
        }
    }

    @Test
    void anOptionByteBlockMustFitInOneTransfer() {
        ChipProfile.OptionBlock block = F407.optionBytes().first();
        FlashRequest request = new FlashRequest(image, EraseMode.SECTORS, null,
                new OptionBytesBlock(block.base(), block.factoryDefaults()), false, false);
        for (int transferSize : new int[] {block.size(), block.size() / 2}) {
            Altered port = new Altered(board());
            port.descriptor = new DfuFunctionalDescriptor(F407.functionalDescriptor().bmAttributes(), 255,
                    transferSize, 0x011A);
            AtomicBoolean cancel = new AtomicBoolean();
            FlashListener stopAtErase = new FlashListener() {
                @Override
                public void phaseFinished(Phase phase, Duration duration) {
                    cancel.set(phase == Phase.IDENTIFY);
                }
            };

            FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                    () -> pipeline.run(request, port, stopAtErase, cancel::get));

            if (transferSize == block.size()) {
                assertThat(failure.code()).as("a block of one whole transfer passes IDENTIFY")
                        .isEqualTo(FailureCode.CANCELLED);
                assertThat(failure.phase()).isEqualTo(Phase.ERASE);
            } else {
                assertThat(failure.code()).isEqualTo(FailureCode.OPTION_BYTES_INVALID);
                assertThat(failure.phase()).isEqualTo(Phase.IDENTIFY);
            }
        }
    }

    /** The board's transport with what it reports changed where a field is set; counts closes. */
    private static final class Altered implements DeviceConnector {
        private final SimulatedStm32 board;
        DfuFunctionalDescriptor descriptor;
        List<DfuAltSetting> alts;
        /** What the Get command (UPLOAD of block 0) returns instead of the ROM's answer. */
        byte[] getCommandAnswer;
        int closed;

        Altered(SimulatedStm32 board) {
            this.board = board;
        }

        @Override
        public DfuTransport connect(Duration timeout) {
            return new ForwardingTransport(board.connect()) {
                @Override
                public DfuFunctionalDescriptor functionalDescriptor() {
                    return descriptor != null ? descriptor : super.functionalDescriptor();
                }

                @Override
                public List<DfuAltSetting> altSettings() {
                    return alts != null ? alts : super.altSettings();
                }

                @Override
                public byte[] controlIn(ControlSetup setup, Duration t) {
                    byte[] answer = super.controlIn(setup, t);
                    boolean getCommand = setup.bRequest() == DfuRequest.UPLOAD.code() && setup.wValue() == 0;
                    return getCommand && getCommandAnswer != null ? getCommandAnswer.clone() : answer;
                }

                @Override
                public void close() {
                    closed++;
                    super.close();
                }
            };
        }
    }

    /** Counts transports opened and closed. */
    private static final class ClosingConnector implements DeviceConnector {
        private final SimulatedStm32 board;
        int opened;
        int closed;
        volatile boolean timeOutNextIn;

        ClosingConnector(SimulatedStm32 board) {
            this.board = board;
        }

        @Override
        public DfuTransport connect(Duration timeout) {
            opened++;
            DfuTransport inner = board.connect();
            return new DfuTransport() {
                @Override
                public UsbDeviceInfo deviceInfo() {
                    return inner.deviceInfo();
                }

                @Override
                public List<DfuAltSetting> altSettings() {
                    return inner.altSettings();
                }

                @Override
                public DfuFunctionalDescriptor functionalDescriptor() {
                    return inner.functionalDescriptor();
                }

                @Override
                public void selectAltSetting(int alternateSetting) {
                    inner.selectAltSetting(alternateSetting);
                }

                @Override
                public void controlOut(ControlSetup setup, byte[] data, Duration t) {
                    inner.controlOut(setup, data, t);
                }

                @Override
                public byte[] controlIn(ControlSetup setup, Duration t) {
                    if (timeOutNextIn) {
                        timeOutNextIn = false;
                        throw new TransferTimeoutException("no answer (test)", setup);
                    }
                    return inner.controlIn(setup, t);
                }

                @Override
                public void close() {
                    closed++;
                    inner.close();
                }
            };
        }
    }
}
