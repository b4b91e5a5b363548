package com.flashline.dfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * What the DfuSe engine checks and selects before it puts anything on the bus: addresses inside
 * the 32-bit space, the alternate setting of the memory it addresses, and the size of an
 * option-byte block.
 */
class DfuSeDeviceArgumentsTest {

    private static final long OPTIONS = 0x1FFF_C000L;

    private final VirtualClock clock = new VirtualClock();
    private final FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);
    private final DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS);

    private long transfers() {
        long n = 0;
        for (DfuRequest r : DfuRequest.values()) {
            n += fake.count(r);
        }
        return n;
    }

    private void refusedBeforeAnyTransfer(ThrowingCallable call) {
        long before = transfers();
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the 32-bit address space");
        assertThat(transfers()).as("nothing sent").isEqualTo(before);
    }

    @Test
    void addressesOutsideThe32BitSpaceAreRefusedBeforeAnyTransfer() {
        long beyond = 0x1_0000_0000L;
        refusedBeforeAnyTransfer(() -> device.setAddressPointer(-1));
        refusedBeforeAnyTransfer(() -> device.setAddressPointer(beyond));
        refusedBeforeAnyTransfer(() -> device.eraseSector(beyond));
        refusedBeforeAnyTransfer(() -> device.eraseSector(-1));
        refusedBeforeAnyTransfer(() -> device.leave(beyond));
        refusedBeforeAnyTransfer(() -> device.writeOptionBytes(0xFFFF_FFFEL, new byte[4]));
        refusedBeforeAnyTransfer(() -> device.read(0xFFFF_FFFFL, 2, (a, b) -> true, () -> false));
        refusedBeforeAnyTransfer(() -> device.read(beyond, new byte[4], 0, 4, TransferProgress.NONE));
        refusedBeforeAnyTransfer(() -> device.write(0xFFFF_FFFFL, new byte[2], 0, 2, TransferProgress.NONE));
    }

    @Test
    void theLastAddressOfTheSpaceIsStillAnAddress() {
        assertThatCode(() -> device.setAddressPointer(0xFFFF_FFFFL)).doesNotThrowAnyException();
        assertThat(fake.pointer).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void everyCommandSwitchesToTheAltSettingOfTheMemoryItAddresses() {
        List<Runnable> onFlash = List.of(
                () -> device.setAddressPointer(0x0800_4000L),
                () -> device.eraseSector(0x0800_4000L),
                device::massErase,
                () -> device.leave(0x0800_0000L));
        for (Runnable command : onFlash) {
            device.read(OPTIONS, new byte[16], 0, 16, TransferProgress.NONE);
            assertThat(fake.alt).isEqualTo(1);
            device.ensureIdle(IdleFor.IDLE);
            command.run();
            assertThat(fake.alt).as("back on the flash alt setting").isZero();
        }
    }

    @Test
    void optionBytesAreWrittenOnTheirOwnAltSetting() {
        device.setAddressPointer(0x0800_0000L);
        device.writeOptionBytes(OPTIONS, new byte[16]);
        assertThat(fake.alt).isEqualTo(1);
    }

    @Test
    void optionBlocksAreTwoBytesToOneTransferLong() {
        assertThatThrownBy(() -> device.writeOptionBytes(OPTIONS, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> device.writeOptionBytes(OPTIONS, new byte[2049]))
                .isInstanceOf(IllegalArgumentException.class);
        // Each accepted write resets the (fake) chip, so each gets a board of its own.
        for (int length : new int[] {2, 2048}) {
            FakeDfuDevice board = new FakeDfuDevice(clock, 2048);
            assertThatCode(() -> new DfuSeDevice(board, clock, DfuOptions.DEFAULTS)
                    .writeOptionBytes(OPTIONS, new byte[length])).as("%d bytes", length).doesNotThrowAnyException();
        }
    }
}
