package com.flashline.dfu;

import static com.flashline.dfu.DfuRequest.ABORT;
import static com.flashline.dfu.DfuRequest.DNLOAD;
import static com.flashline.dfu.DfuRequest.GETSTATUS;
import static com.flashline.dfu.DfuRequest.UPLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import com.flashline.support.RandomCases;
import com.flashline.support.SeededTest;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Block splitting of reads and writes, against ROMs that read AN3156's address formula either way. */
class DfuSeDeviceTransferTest {

    private static final long FLASH = 0x0800_0000L;

    private final VirtualClock clock = new VirtualClock();

    private static byte[] randomBytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    @SeededTest(tries = 400)
    void everyWrittenByteLandsAtItsAddressWhicheverWayTheRomReadsTheFormula(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int startOffset = RandomCases.intBetween(random, 0, 5000);
        int length = RandomCases.intBetween(random, 2, 4000);
        int transferSize = RandomCases.intBetween(random, 5, 700);
        FakeDfuDevice.AddressFormula formula = RandomCases.oneOf(random, FakeDfuDevice.AddressFormula.class);
        FakeDfuDevice fake = new FakeDfuDevice(new VirtualClock(), transferSize);
        fake.formula = formula;
        DfuSeDevice device = new DfuSeDevice(fake, fake.clock, DfuOptions.DEFAULTS);
        long address = FLASH + startOffset;
        byte[] data = randomBytes(length, startOffset * 31L + length);

        device.write(address, data, 0, length, TransferProgress.NONE);

        assertThat(fake.memory).hasSize(length);
        for (int i = 0; i < length; i++) {
            assertThat(fake.memory.get(address + i)).as("byte %d at 0x%08x", i, address + i).isEqualTo(data[i]);
        }
        assertThat(fake.writes).allSatisfy(w -> assertThat(w.length()).isBetween(2, transferSize));
        assertThat(fake.violations).isEmpty();
    }

    @SeededTest(tries = 400)
    void everyReadByteComesFromItsAddressWhicheverWayTheRomReadsTheFormula(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int startOffset = RandomCases.intBetween(random, 0, 5000);
        int length = RandomCases.intBetween(random, 1, 4000);
        int transferSize = RandomCases.intBetween(random, 5, 700);
        FakeDfuDevice.AddressFormula formula = RandomCases.oneOf(random, FakeDfuDevice.AddressFormula.class);
        FakeDfuDevice fake = new FakeDfuDevice(new VirtualClock(), transferSize);
        fake.formula = formula;
        DfuSeDevice device = new DfuSeDevice(fake, fake.clock, DfuOptions.DEFAULTS);
        long address = FLASH + startOffset;
        byte[] dst = new byte[length + 4];

        device.read(address, dst, 2, length, TransferProgress.NONE);

        for (int i = 0; i < length; i++) {
            assertThat(dst[2 + i]).as("byte %d at 0x%08x", i, address + i).isEqualTo(FakeDfuDevice.pattern(address + i));
        }
        assertThat(dst).startsWith(0, 0).endsWith(0, 0);
        assertThat(fake.transfers(UPLOAD)).allSatisfy(t -> assertThat(t.setup().wLength()).isBetween(2, transferSize));
        assertThat(fake.violations).isEmpty();
    }

    @SeededTest(tries = 300)
    void blocksAreConsecutiveFromBlockTwoAndOnlyFullBlocksFollowBlockTwo(long seed) {
        RandomGenerator random = RandomCases.random(seed);
        int startOffset = RandomCases.intBetween(random, 0, 100_000);
        int length = RandomCases.intBetween(random, 2, 300_000);
        int transferSize = RandomCases.intBetween(random, 3, 2048);
        BlockPlan plan = BlockPlan.of(FLASH + startOffset, length, transferSize);

        long pointer = -1;
        int expectedNext = 0;
        int covered = 0;
        for (BlockPlan.Block block : plan.blocks()) {
            assertThat(block.offset()).isEqualTo(covered);
            assertThat(block.address()).isEqualTo(FLASH + startOffset + covered);
            assertThat(block.length()).isBetween(2, transferSize);
            if (block.setsPointer()) {
                pointer = block.address();
                assertThat(block.blockNumber()).isEqualTo(2);
            } else {
                assertThat(block.blockNumber()).isEqualTo(expectedNext);
            }
            if (block.blockNumber() > 2) {
                assertThat(block.length()).isEqualTo(transferSize);
            }
            // Both readings of the formula give the block's own address.
            assertThat((long) (block.blockNumber() - 2) * block.length() + pointer).isEqualTo(block.address());
            assertThat((long) (block.blockNumber() - 2) * transferSize + pointer).isEqualTo(block.address());
            assertThat(block.blockNumber()).isLessThanOrEqualTo(0xFFFF);
            expectedNext = block.blockNumber() + 1;
            covered += block.length();
        }
        assertThat(covered).isEqualTo(length);
    }

    @Test
    void aWholeNumberOfBlocksNeedsOnePointerAndConsecutiveBlockNumbers() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 1024);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

        device.write(FLASH, randomBytes(4096, 1), 0, 4096, TransferProgress.NONE);

        List<FakeDfuDevice.Transfer> dnloads = fake.transfers(DNLOAD);
        assertThat(dnloads).extracting(t -> t.setup().wValue()).containsExactly(0, 2, 3, 4, 5);
        assertThat(dnloads.get(0).data()).containsExactly(0x21, 0x00, 0x00, 0x00, 0x08);
    }

    @Test
    void aShortTrailingBlockGetsItsOwnPointerAndBlockNumberTwo() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 1024);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

        device.write(FLASH + 2, randomBytes(2500, 2), 0, 2500, TransferProgress.NONE);

        List<FakeDfuDevice.Transfer> dnloads = fake.transfers(DNLOAD);
        assertThat(dnloads).extracting(t -> t.setup().wValue()).containsExactly(0, 2, 3, 0, 2);
        assertThat(dnloads.get(3).data()).containsExactly(0x21, 0x02, 0x08, 0x00, 0x08); // 0x08000802
        assertThat(dnloads.get(4).setup().wLength()).isEqualTo(452);
    }

    @Test
    void aSingleTrailingByteIsRebalancedIntoTwoShortBlocks() {
        BlockPlan plan = BlockPlan.of(FLASH, 2049, 1024);

        assertThat(plan.blocks()).containsExactly(
                new BlockPlan.Block(FLASH, 0, 1024, 2, true),
                new BlockPlan.Block(FLASH + 1024, 1024, 1023, 2, true),
                new BlockPlan.Block(FLASH + 2047, 2047, 2, 2, true));
    }

    @Test
    void aRunRestartsAtANewPointerBeforeTheBlockNumberPasses0xFFFF() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 5);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);
        int length = 5 * 65_536;
        byte[] data = randomBytes(length, 3);

        device.write(FLASH, data, 0, length, TransferProgress.NONE);

        List<FakeDfuDevice.Transfer> pointers = fake.transfers(DNLOAD).stream()
                .filter(t -> t.setup().wValue() == 0).toList();
        assertThat(pointers).hasSize(2);
        long secondPointer = FLASH + 5L * 65_534;
        assertThat(pointers.get(1).data()).containsExactly(0x21, (int) (secondPointer & 0xFF),
                (int) ((secondPointer >>> 8) & 0xFF), (int) ((secondPointer >>> 16) & 0xFF), 0x08);
        assertThat(fake.transfers(DNLOAD).stream().mapToInt(t -> t.setup().wValue()).max()).hasValue(0xFFFF);
        for (int i = 0; i < length; i++) {
            if (fake.memory.get(FLASH + i) != data[i]) {
                throw new AssertionError("byte " + i + " wrong");
            }
        }
    }

    @Test
    void aOneByteWriteIsRejectedWithoutTouchingTheDevice() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

        assertThatThrownBy(() -> device.write(FLASH + 7, new byte[] {1}, 0, 1, TransferProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("single byte at 0x08000007")
                .hasMessageContaining("minimum write is 2 bytes");
        assertThat(fake.transfers).isEmpty();
    }

    @Test
    void aOneByteReadIsWidenedToTwoBytes() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);
        byte[] one = new byte[1];

        device.read(FLASH + 5, one, 0, 1, TransferProgress.NONE);

        assertThat(one[0]).isEqualTo(FakeDfuDevice.pattern(FLASH + 5));
        assertThat(fake.transfers(UPLOAD)).singleElement()
                .satisfies(t -> assertThat(t.setup().wLength()).isEqualTo(2));
        assertThat(fake.pointer).isEqualTo(FLASH + 5);
    }

    @Test
    void aOneByteReadOfTheLastByteOfMemoryWidensDownwards() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);
        long last = FLASH + 1024 * 1024 - 1; // the F4 layout is 1 MiB
        byte[] one = new byte[1];

        device.read(last, one, 0, 1, TransferProgress.NONE);

        assertThat(one[0]).isEqualTo(FakeDfuDevice.pattern(last));
        assertThat(fake.pointer).isEqualTo(last - 1);
    }

    @Test
    void aWriteRunCostsOneDnloadAndTwoPollsPerBlockAndNothingElse() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 1024);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);
        device.getStatus();
        fake.transfers.clear();

        device.write(FLASH, randomBytes(3072, 4), 0, 3072, TransferProgress.NONE);

        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request).containsExactly(
                DNLOAD, GETSTATUS, GETSTATUS,
                DNLOAD, GETSTATUS, GETSTATUS, DNLOAD, GETSTATUS, GETSTATUS, DNLOAD, GETSTATUS, GETSTATUS);
        assertThat(device.statistics().transfers(GETSTATUS)).isEqualTo(9);
        assertThat(device.statistics().bytesDown()).isEqualTo(5 + 3072);
    }

    @Test
    void aReadRunSetsThePointerAbortsOnceAndUploads() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 1024);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);
        device.getStatus();
        fake.transfers.clear();

        device.read(FLASH, new byte[3072], 0, 3072, TransferProgress.NONE);

        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request).containsExactly(
                DNLOAD, GETSTATUS, GETSTATUS, ABORT, UPLOAD, UPLOAD, UPLOAD);
        assertThat(fake.transfers(UPLOAD)).extracting(t -> t.setup().wValue()).containsExactly(2, 3, 4);
        assertThat(device.statistics().bytesUp()).isEqualTo(3072);
    }

    @Test
    void aWriteAfterAReadAbortsOutOfUploadIdleWithoutAskingForTheState() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 1024);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);
        device.read(FLASH, new byte[16], 0, 16, TransferProgress.NONE);
        fake.transfers.clear();

        device.write(FLASH + 16, randomBytes(16, 5), 0, 16, TransferProgress.NONE);

        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request)
                .containsExactly(ABORT, DNLOAD, GETSTATUS, GETSTATUS, DNLOAD, GETSTATUS, GETSTATUS);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void progressIsReportedAfterEveryBlock() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 1000);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);
        List<Long> reports = new ArrayList<>();

        device.write(FLASH, randomBytes(2500, 6), 0, 2500, (done, total) -> {
            assertThat(total).isEqualTo(2500);
            reports.add(done);
        });

        assertThat(reports).containsExactly(1000L, 2000L, 2500L);
    }

    @Test
    void aCancelledWriteStopsBetweenBlocks() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 1000);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);
        AtomicInteger blocks = new AtomicInteger();

        assertThatThrownBy(() -> device.write(FLASH, randomBytes(5000, 7), 0, 5000,
                (done, total) -> blocks.incrementAndGet(), () -> blocks.get() >= 2))
                .isInstanceOf(DfuCancelledException.class);
        assertThat(fake.writes).hasSize(2);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void anInterruptedThreadStopsAReadBetweenBlocksAndKeepsTheFlag() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 1000);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> device.read(FLASH, new byte[3000], 0, 3000, TransferProgress.NONE))
                    .isInstanceOf(DfuCancelledException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(fake.transfers).isEmpty();
        } finally {
            Thread.interrupted();
        }
    }

    @ParameterizedTest
    @EnumSource(FakeDfuDevice.AddressFormula.class)
    void writeThenReadBackRoundTrips(FakeDfuDevice.AddressFormula formula) {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
        fake.formula = formula;
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);
        byte[] image = randomBytes(10_001, 8);
        byte[] back = new byte[image.length];

        device.write(FLASH + 0x4001, image, 0, image.length, TransferProgress.NONE);
        device.read(FLASH + 0x4001, back, 0, back.length, TransferProgress.NONE);

        assertThat(back).isEqualTo(image);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void selectsTheAltSettingWhoseLayoutHoldsTheAddressOnlyWhenItChanges() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

        device.read(FLASH, new byte[4], 0, 4, TransferProgress.NONE);
        device.read(FakeDfuDevice.OPTION_BASE, new byte[16], 0, 16, TransferProgress.NONE);
        assertThat(fake.alt).isEqualTo(1);
        device.read(0x1FFF7A10L, new byte[12], 0, 12, TransferProgress.NONE); // unique ID: in no layout
        assertThat(fake.alt).isEqualTo(1);
        device.write(FLASH, randomBytes(4, 9), 0, 4, TransferProgress.NONE);
        device.write(FLASH + 4, randomBytes(4, 9), 0, 4, TransferProgress.NONE);

        assertThat(fake.alt).isZero();
        assertThat(device.currentAltSetting()).isZero();
        assertThat(device.statistics().altSettingSwitches()).isEqualTo(2);
        assertThat(device.altSettingFor(0x1FFF7A10L)).isEmpty();
        assertThat(device.layout(1).start()).isEqualTo(FakeDfuDevice.OPTION_BASE);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void aTransferSizeTooSmallForTheFiveByteCommandsIsRejected() {
        assertThatThrownBy(() -> new DfuSeDevice(new FakeDfuDevice(clock, 4), clock, DfuOptions.DEFAULTS))
                .isInstanceOf(DfuProtocolException.class).hasMessageContaining("wTransferSize 4");
    }

    @Test
    void rangesOutsideTheAddressSpaceAreRejected() {
        FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

        assertThatThrownBy(() -> device.read(0xFFFF_FFFEL, new byte[4], 0, 4, TransferProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-bit address space");
        assertThatThrownBy(() -> device.write(FLASH, new byte[4], 2, 4, TransferProgress.NONE))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(fake.transfers).isEmpty();
    }
}
