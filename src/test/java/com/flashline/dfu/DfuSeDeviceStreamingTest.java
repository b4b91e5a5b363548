package com.flashline.dfu;

import static com.flashline.dfu.DfuRequest.ABORT;
import static com.flashline.dfu.DfuRequest.DNLOAD;
import static com.flashline.dfu.DfuRequest.GETSTATUS;
import static com.flashline.dfu.DfuRequest.UPLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Block-wise reads into a sink, the reused write buffer and block descriptions made only on failure. */
class DfuSeDeviceStreamingTest {

    private static final long FLASH = 0x0800_0000L;

    private final VirtualClock clock = new VirtualClock();
    private final FakeDfuDevice fake = new FakeDfuDevice(clock, 1024);
    private final DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

    @Test
    void aSinkGetsEveryBlockAtItsAddressWithTheSameRequestsAsAnArrayRead() {
        device.getStatus();
        fake.transfers.clear();
        List<Long> addresses = new ArrayList<>();
        byte[] seen = new byte[3000];

        long read = device.read(FLASH + 10, 3000, (address, block) -> {
            addresses.add(address);
            System.arraycopy(block, 0, seen, (int) (address - FLASH - 10), block.length);
            return true;
        }, () -> false);

        assertThat(read).isEqualTo(3000);
        assertThat(addresses).containsExactly(FLASH + 10, FLASH + 10 + 1024, FLASH + 10 + 2048);
        for (int i = 0; i < seen.length; i++) {
            assertThat(seen[i]).as("byte %d", i).isEqualTo(FakeDfuDevice.pattern(FLASH + 10 + i));
        }
        assertThat(fake.transfers).extracting(FakeDfuDevice.Transfer::request).containsExactly(
                DNLOAD, GETSTATUS, GETSTATUS, ABORT, UPLOAD, UPLOAD, ABORT, DNLOAD, GETSTATUS, GETSTATUS, ABORT, UPLOAD);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void aSinkThatReturnsFalseStopsTheReadAfterThatBlock() {
        int[] blocks = {0};

        long read = device.read(FLASH, 8192, (address, block) -> ++blocks[0] < 2, () -> false);

        assertThat(read).isEqualTo(2048);
        assertThat(fake.transfers(UPLOAD)).hasSize(2);
        // The next request recovers from dfuUPLOAD-IDLE as usual.
        device.write(FLASH + 8192, new byte[] {1, 2, 3, 4}, 0, 4, TransferProgress.NONE);
        assertThat(fake.memory.get(FLASH + 8195)).isEqualTo((byte) 4);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void aOneByteBlockReadIsRejected() {
        assertThatThrownBy(() -> device.read(FLASH, 1, (a, b) -> true, () -> false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 bytes");
        assertThat(fake.transfers).isEmpty();
    }

    @Test
    void everyWriteBlockCarriesItsOwnBytesAlthoughTheBufferIsReused() {
        byte[] data = new byte[4 * 1024 + 100];
        new Random(3).nextBytes(data);

        device.write(FLASH, data, 0, data.length, TransferProgress.NONE);

        List<FakeDfuDevice.Transfer> blocks = fake.transfers(DNLOAD).stream().filter(t -> t.setup().wValue() >= 2)
                .toList();
        assertThat(blocks).hasSize(5);
        int offset = 0;
        for (FakeDfuDevice.Transfer block : blocks) {
            assertThat(block.data()).isEqualTo(Arrays.copyOfRange(data, offset, offset + block.data().length));
            offset += block.data().length;
        }
        assertThat(offset).isEqualTo(data.length);
    }

    @Test
    void aFailedBlockIsNamedByItsAddressAndLength() {
        TransferProgress failTheSecondBlock = (done, total) -> {
            if (done == 1024) {
                fake.failNext = DfuStatusCode.ERR_WRITE;
            }
        };

        assertThatThrownBy(() -> device.write(FLASH, new byte[3072], 0, 3072, failTheSecondBlock))
                .isInstanceOf(DfuStatusException.class)
                .hasMessageContaining("write 1024 bytes at 0x08000400");
    }

    @Test
    void theSystemClockWaitsAtLeastTheDurationAndAnInterruptEndsTheWait() throws InterruptedException {
        long before = System.nanoTime();
        DfuClock.SYSTEM.sleep(Duration.ofNanos(300_000));
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(300_000);

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> DfuClock.SYSTEM.sleep(Duration.ofSeconds(30)))
                    .isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            Thread.interrupted();
        }
    }
}
