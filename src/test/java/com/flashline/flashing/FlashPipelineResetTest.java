package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.VirtualClock;
import com.flashline.error.FailureCode;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.Segment;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.Fault;
import com.flashline.sim.NoProtocolViolations;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Read Unprotect and an option-byte write reset the chip: the run waits for the next enumeration on
 * the port, goes on with the same chip (by its unique ID), and fails with its own codes when the
 * board does not come back or another chip does.
 */
class FlashPipelineResetTest {

    private static final ChipProfile F407 = ChipProfile.STM32F407;
    private static final long FLASH = F407.flash().base();
    private static final Duration REENUMERATION = Duration.ofSeconds(3);
    /** What the F0/F1 ROMs report for every chip: the USB serial tells nothing. */
    private static final String CONSTANT_SERIAL = "FFFFFFFEFFFF";

    /** The failures here (chip not back, another chip, a wrong read-back) keep to the protocol too. */
    @RegisterExtension
    final NoProtocolViolations protocol = new NoProtocolViolations();

    private final VirtualClock clock = new VirtualClock();
    private final FlashPipeline pipeline = new FlashPipeline(clock, DfuOptions.DEFAULTS,
            ChipCatalog.standard(), REENUMERATION);
    private final FirmwareImage image = SimFixture.image(new Segment(FLASH, application(6144)));
    private final ChipProfile.OptionBlock optionBlock = F407.optionBytes().first();
    private final byte[] options = changedOptions();

    /**
     * Opens the boards given in turn, one per call, remembering each call's timeout; an empty
     * slot means that nothing came back within the timeout.
     */
    private static final class Port implements DeviceConnector {
        private final List<SimulatedStm32> enumerations;
        final List<Duration> timeouts = new ArrayList<>();

        Port(SimulatedStm32... enumerations) {
            this.enumerations = new ArrayList<>(Arrays.asList(enumerations));
        }

        @Override
        public DfuTransport connect(Duration timeout) {
            timeouts.add(timeout);
            SimulatedStm32 board = enumerations.size() > 1 ? enumerations.remove(0) : enumerations.get(0);
            if (board == null) {
                throw new DeviceGoneException("no board came back within " + timeout, null);
            }
            return board.connect();
        }
    }

    @Test
    void optionBytesAreWrittenAfterVerifyInTheirOwnPhaseAndReadBackFromTheChipThatCameBack() {
        SimulatedStm32 board = protocol.watch(board(1).build());
        Port port = new Port(board);

        FlashReport report = pipeline.run(optionBytesRequest(), port, FlashListener.NONE, () -> false);

        assertThat(report.phases()).extracting(PhaseTiming::phase).containsExactly(Phase.CONNECT, Phase.IDENTIFY,
                Phase.ERASE, Phase.WRITE, Phase.VERIFY, Phase.OPTION_BYTES, Phase.LEAVE);
        assertThat(board.memory(optionBlock.base(), options.length)).isEqualTo(options);
        assertThat(board.enumerationCount()).isEqualTo(2);
        assertThat(port.timeouts).as("CONNECT, then the wait for the chip after its reset")
                .containsExactly(DfuOptions.DEFAULTS.commandTimeout(), REENUMERATION);
        assertThat(report.bytesVerified()).isEqualTo(image.totalSize() + options.length);
        assertThat(report.bytesWritten()).isEqualTo(image.totalSize() + options.length);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aMismatchingOptionByteReadBackFailsAtItsAddress() {
        SimulatedStm32 board = protocol.watch(board(2).build());
        board.inject(new Fault.CorruptReadback(optionBlock.base() + 3, optionBlock.base() + 4, 0x40));

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(optionBytesRequest(), new Port(board), FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.VERIFY_MISMATCH);
        assertThat(failure.phase()).isEqualTo(Phase.OPTION_BYTES);
        assertThat(failure.firstMismatchAddress()).isEqualTo(optionBlock.base() + 3);
    }

    @Test
    void aChipWithTheSameConstantUsbSerialIsTheSameChipOnlyByItsUid() {
        SimulatedStm32 board = protocol.watch(board(3).serialNumber(CONSTANT_SERIAL).build());
        pipeline.run(optionBytesRequest(), new Port(board), FlashListener.NONE, () -> false);

        SimulatedStm32 first = protocol.watch(board(4).serialNumber(CONSTANT_SERIAL).build());
        SimulatedStm32 other = protocol.watch(board(5).serialNumber(CONSTANT_SERIAL).build());
        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(optionBytesRequest(), new Port(first, other), FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.DEVICE_CHANGED);
        assertThat(failure.phase()).isEqualTo(Phase.OPTION_BYTES);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("UID " + uidHex(other)).contains("was UID " + uidHex(first));
        assertThat(other.memory(optionBlock.base(), options.length)).as("nothing was written to the other chip")
                .isEqualTo(optionBlock.factoryDefaults());
    }

    @Test
    void aReadProtectedChipIsKnownAfterItsUnprotectByTheUsbSerialItHadBefore() {
        SimulatedStm32 locked = protocol.watch(board(6).readProtected(true).build());
        SimulatedStm32 other = protocol.watch(board(7).build());

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(unprotectRequest(), new Port(locked, other), FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.DEVICE_CHANGED);
        assertThat(failure.phase()).isEqualTo(Phase.UNPROTECT);
        assertThat(failure.getMessage()).contains("USB serial " + other.serialNumber())
                .contains("was USB serial " + locked.serialNumber());
        assertThat(other.memory(FLASH, 16)).as("the other board was not written")
                .isEqualTo(Arrays.copyOf(SimFixture.oldContent(F407), 16));
    }

    @Test
    void aBoardThatDoesNotComeBackAfterUnprotectFailsWithItsOwnCode() {
        SimulatedStm32 locked = protocol.watch(board(8).readProtected(true).build());

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(unprotectRequest(), new Port(locked, null), FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.DEVICE_NOT_BACK);
        assertThat(failure.phase()).isEqualTo(Phase.UNPROTECT);
        assertThat(failure.retryable()).isFalse();
        // after Read Unprotect the wait also covers the F407's worst-case mass erase (ROM table: 32 s)
        assertThat(failure.getMessage()).contains("within " + REENUMERATION.plusSeconds(32));
    }

    @Test
    void aBoardThatDoesNotComeBackAfterItsOptionBytesFailsWithItsOwnCode() {
        SimulatedStm32 board = protocol.watch(board(9).build());

        FlashFailure failure = catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(optionBytesRequest(), new Port(board, null), FlashListener.NONE, () -> false));

        assertThat(failure.code()).isEqualTo(FailureCode.DEVICE_NOT_BACK);
        assertThat(failure.phase()).isEqualTo(Phase.OPTION_BYTES);
        assertThat(board.memory(FLASH, 6144)).as("the image was written and verified before")
                .isEqualTo(image.segments().get(0).data());
    }

    // ------------------------------------------------------------------ helpers

    private SimulatedStm32.Builder board(long seed) {
        return SimFixture.usedBoard(F407, SimOptions.realistic(), clock).seed(seed);
    }

    private FlashRequest optionBytesRequest() {
        return new FlashRequest(image, EraseMode.SECTORS, null, new OptionBytesBlock(optionBlock.base(), options),
                false, true);
    }

    private FlashRequest unprotectRequest() {
        return new FlashRequest(image, EraseMode.SECTORS, null, null, true, true);
    }

    private byte[] changedOptions() {
        byte[] bytes = optionBlock.factoryDefaults();
        bytes[2] ^= 0x01; // a user option bit, never the read-protection byte
        return bytes;
    }

    /** Random code behind a vector table the ROM accepts, so that LEAVE starts it. */
    private static byte[] application(int length) {
        byte[] data = SimFixture.random(length, 11);
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x2000_1000).putInt(4, (int) FLASH + 0x101);
        return data;
    }

    private static String uidHex(SimulatedStm32 board) {
        return HexFormat.of().withUpperCase().formatHex(board.uniqueId());
    }
}
