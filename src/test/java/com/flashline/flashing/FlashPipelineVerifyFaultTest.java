package com.flashline.flashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.flashline.dfu.Sector;
import com.flashline.dfu.VirtualClock;
import com.flashline.error.FailureCode;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.Segment;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.Fault;
import com.flashline.sim.NoProtocolViolations;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * VERIFY's promise, broken in the flash itself rather than on the way back: a byte that did not
 * take its value, a sector the write skipped, a wrong serial record, a wrong option-byte block.
 * Each run fails with VERIFY_MISMATCH at the first address that differs, and the byte counts it
 * reported are the ones measured (blocks acknowledged, bytes compared), not the plan's totals.
 */
class FlashPipelineVerifyFaultTest {

    private static final ChipProfile F407 = ChipProfile.STM32F407;
    private static final long FLASH = F407.flash().base();
    private static final int BLOCK = F407.transferSize();

    @RegisterExtension
    final NoProtocolViolations protocol = new NoProtocolViolations();

    private final VirtualClock clock = new VirtualClock();
    private final FlashPipeline pipeline = SimFixture.pipeline(clock);
    private final byte[] data = SimFixture.random(40_000, 16);
    private final FirmwareImage image = SimFixture.image(new Segment(FLASH, data));
    private final Progress progress = new Progress();

    /** The last progress of each phase: what a job records as its bytes done when it ends there. */
    private static final class Progress implements FlashListener {
        final Map<Phase, long[]> last = new EnumMap<>(Phase.class);

        @Override
        public void progress(Phase phase, long bytesDone, long bytesTotal) {
            last.put(phase, new long[] {bytesDone, bytesTotal});
        }

        long done(Phase phase) {
            return last.get(phase)[0];
        }

        long total(Phase phase) {
            return last.get(phase)[1];
        }
    }

    private SimulatedStm32 board() {
        return protocol.watch(SimFixture.usedBoard(F407, SimOptions.realistic(), clock).build());
    }

    private FlashFailure failureOf(SimulatedStm32 board, FlashRequest request) {
        return catchThrowableOfType(FlashFailure.class,
                () -> pipeline.run(request, SimFixture.connector(board), progress, () -> false));
    }

    @Test
    void aSingleWrongByteInFlashFailsVerifyAtItsAddressWithTheBytesComparedBeforeIt() {
        SimulatedStm32 board = board();
        long bad = FLASH + 21_013;
        board.inject(new Fault.CorruptWrite(bad, 0x04));

        FlashFailure failure = failureOf(board, SimFixture.request(image));

        byte wrote = data[(int) (bad - FLASH)];
        assertThat(board.memory(bad, 1)[0]).as("the flash itself holds the wrong byte")
                .isEqualTo((byte) (wrote ^ 0x04));
        assertThat(failure.phase()).isEqualTo(Phase.VERIFY);
        assertThat(failure.code()).isEqualTo(FailureCode.VERIFY_MISMATCH);
        assertThat(failure.firstMismatchAddress()).isEqualTo(bad);
        assertThat(failure.getMessage()).contains(String.format("0x%08X", bad))
                .contains(String.format("wrote 0x%02X, read 0x%02X", wrote & 0xFF, (wrote ^ 0x04) & 0xFF));
        assertThat(failure.retryable()).isFalse();
        assertThat(progress.done(Phase.WRITE)).isEqualTo(data.length);
        assertThat(progress.done(Phase.VERIFY)).as("only the blocks before the bad one were found equal")
                .isEqualTo((bad - FLASH) / BLOCK * BLOCK)
                .isLessThan(progress.total(Phase.VERIFY));
    }

    @Test
    void aSectorTheWriteSkippedFailsVerifyAtItsFirstByteThatIsNotErasedInTheImage() {
        SimulatedStm32 board = board();
        Sector skipped = F407.flashSectors().get(1);
        board.inject(new Fault.SkipFlashWrites(skipped.start(), skipped.end()));

        FlashFailure failure = failureOf(board, SimFixture.request(image));

        long first = skipped.start();
        while (data[(int) (first - FLASH)] == (byte) 0xFF) {
            first++;
        }
        assertThat(board.memory(skipped.start(), (int) skipped.size())).as("erased, then never programmed")
                .containsOnly((byte) 0xFF);
        assertThat(failure.phase()).isEqualTo(Phase.VERIFY);
        assertThat(failure.code()).isEqualTo(FailureCode.VERIFY_MISMATCH);
        assertThat(failure.firstMismatchAddress()).isEqualTo(first);
        assertThat(failure.getMessage()).contains(String.format("0x%08X", first)).contains("read 0xFF");
        assertThat(board.flashWork().bytesProgrammed()).as("the device programmed every block but the skipped ones")
                .isEqualTo(data.length - skipped.size());
        assertThat(progress.done(Phase.VERIFY)).isEqualTo((first - FLASH) / BLOCK * BLOCK);
    }

    @Test
    void aWrongSerialRecordFailsSerializeAtItsAddressAndSpendsNothingMore() {
        SimulatedStm32 board = board();
        Sector serialSector = F407.flashSectors().get(6);
        long address = serialSector.start() + 0x20;
        byte[] text = "FL-000777".getBytes(StandardCharsets.US_ASCII);
        List<String> asked = new ArrayList<>();
        SerialRecordSource source = (uid, usbSerial) -> {
            asked.add(uid);
            return new SerialRecord(address, text, "FL-000777");
        };
        board.inject(new Fault.CorruptWrite(address + 5, 0x20));

        FlashFailure failure = failureOf(board,
                new FlashRequest(image, EraseMode.SECTORS, source, null, false, false));

        assertThat(asked).hasSize(1);
        assertThat(board.memory(address + 5, 1)[0]).isEqualTo((byte) (text[5] ^ 0x20));
        assertThat(failure.phase()).isEqualTo(Phase.SERIALIZE);
        assertThat(failure.code()).isEqualTo(FailureCode.VERIFY_MISMATCH);
        assertThat(failure.firstMismatchAddress()).isEqualTo(address + 5);
        assertThat(failure.getMessage()).contains(String.format("0x%08X", address + 5));
        assertThat(progress.done(Phase.VERIFY)).as("the image itself was verified whole before")
                .isEqualTo(data.length).isEqualTo(progress.total(Phase.VERIFY));
    }

    @Test
    void aWrongOptionByteBlockFailsOptionBytesAtItsAddress() {
        SimulatedStm32 board = board();
        ChipProfile.OptionBlock block = F407.optionBytes().first();
        byte[] options = block.factoryDefaults();
        options[2] ^= 0x01; // a user option bit, never the read-protection byte
        board.inject(new Fault.CorruptWrite(block.base() + 2, 0x02));

        FlashFailure failure = failureOf(board, new FlashRequest(image, EraseMode.SECTORS, null,
                new OptionBytesBlock(block.base(), options), false, false));

        assertThat(board.memory(block.base() + 2, 1)[0]).isEqualTo((byte) (options[2] ^ 0x02));
        assertThat(failure.phase()).isEqualTo(Phase.OPTION_BYTES);
        assertThat(failure.code()).isEqualTo(FailureCode.VERIFY_MISMATCH);
        assertThat(failure.firstMismatchAddress()).isEqualTo(block.base() + 2);
        assertThat(failure.getMessage()).contains(String.format("0x%08X", block.base() + 2));
    }

    @Test
    void aPassedReportCountsTheBytesMeasuredNotThePlan() {
        SimulatedStm32 board = board();

        FlashReport report = pipeline.run(SimFixture.request(image), SimFixture.connector(board), progress,
                () -> false);

        assertThat(report.bytesWritten()).isEqualTo(board.flashWork().bytesProgrammed()).isEqualTo(data.length);
        assertThat(report.bytesVerified()).isEqualTo(data.length);
        assertThat(report.statistics().bytesUp()).as("every verified byte came over the bus")
                .isGreaterThanOrEqualTo(report.bytesVerified());
        assertThat(progress.done(Phase.VERIFY)).isEqualTo(data.length);
    }

    @Test
    void aReflashThatFindsTheImageInPlaceWritesNothingAndStillVerifiesEverything() {
        SimulatedStm32 board = board();
        pipeline.run(SimFixture.request(image), SimFixture.connector(board), FlashListener.NONE, () -> false);
        long programmedBefore = board.flashWork().bytesProgrammed();

        FlashReport again = pipeline.run(SimFixture.request(image), SimFixture.connector(board), progress,
                () -> false);

        assertThat(board.flashWork().bytesProgrammed()).isEqualTo(programmedBefore);
        assertThat(again.bytesWritten()).isZero();
        assertThat(again.bytesVerified()).isEqualTo(data.length);
    }
}
