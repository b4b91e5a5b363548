package com.flashline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.StallException;
import com.flashline.dfu.VirtualClock;
import com.flashline.sim.ProtocolViolation.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LeaveAndLifecycleTest {

    private static final long FLASH = 0x0800_0000L;
    private final VirtualClock clock = new VirtualClock();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private static byte[] vectors(long sp, long pc) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) sp).putInt((int) pc).array();
    }

    private SimulatedStm32 watched(SimulatedStm32 board) {
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
        return board;
    }

    private static void leave(RawDfu dfu) {
        dfu.dnload(0, new byte[0]);
        assertThat(dfu.getState()).isEqualTo(DfuState.DFU_MANIFEST_SYNC);
        DfuStatus s = dfu.getStatus();
        assertThat(s.status()).isEqualTo(DfuStatusCode.OK);
        assertThat(s.state()).isEqualTo(DfuState.DFU_MANIFEST);
        dfu.sleep(s.pollTimeoutMillis());
        // not manifestation tolerant: the device is gone after dfuMANIFEST
        assertThatThrownBy(dfu::getStatus).isInstanceOf(DeviceGoneException.class);
    }

    @Test
    void leaveWithAValidVectorTableJumpsToTheApplication() {
        SimulatedStm32 board = watched(SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock)
                .content(FLASH, vectors(0x2002_0000L, 0x0800_0189L)).build());
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.setAddress(FLASH);
        leave(dfu);
        assertThat(board.lastJump()).hasValueSatisfying(j -> {
            assertThat(j.vectorTable()).isEqualTo(FLASH);
            assertThat(j.stackPointer()).isEqualTo(0x2002_0000L);
            assertThat(j.resetHandler()).isEqualTo(0x0800_0189L);
        });
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.APPLICATION);
        assertThat(board.inBootloader()).isFalse();
        assertThat(events).containsExactly("gone:LEAVE_TO_APPLICATION");
        assertThatThrownBy(board::connect).isInstanceOf(DeviceGoneException.class);
        board.plugIn();
        assertThat(new RawDfu(board.connect(), clock).getState()).isEqualTo(DfuState.DFU_IDLE);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void leaveFromIdleUsesTheDefaultPointer() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32L476).clock(clock)
                .content(FLASH, vectors(0x2001_8000L, 0x0800_0401L)).build();
        leave(new RawDfu(board.connect(), clock));
        assertThat(board.lastJump()).map(Jump::vectorTable).contains(FLASH);
    }

    @Test
    void theLastWriteAddressBecomesTheJumpAddress() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.writeAt(0x0800_4000L, vectors(0x2001_0000L, 0x0800_4101L));
        leave(dfu);
        assertThat(board.lastJump()).map(Jump::vectorTable).contains(0x0800_4000L);
    }

    @Test
    void leaveIntoRamApplication() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.writeAt(0x2000_4000L, vectors(0x2001_0000L, 0x2000_4101L));
        dfu.setAddress(0x2000_4000L);
        leave(dfu);
        assertThat(board.lastJump()).map(Jump::resetHandler).contains(0x2000_4101L);
    }

    @Test
    void leaveWithoutValidCodeResetsIntoTheBootloader() {
        SimulatedStm32 board = watched(SimulatedStm32.builder(ChipProfile.STM32F107).clock(clock).build());
        RawDfu dfu = new RawDfu(board.connect(), clock);
        leave(dfu); // erased flash: stack pointer 0xFFFFFFFF
        assertThat(board.lastJump()).isEmpty();
        assertThat(board.inBootloader()).isTrue();
        assertThat(events).containsExactly("gone:LEAVE_RESET", "back");
        assertThat(board.enumerationCount()).isEqualTo(2);

        RawDfu again = new RawDfu(board.connect(), clock);
        again.writeAt(FLASH, vectors(0x2000_8000L, 0x0900_0001L)); // handler outside flash and RAM
        leave(again);
        assertThat(board.lastJump()).isEmpty();
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.BOOTLOADER);
    }

    @Test
    void leaveIsForbiddenInUploadIdle() {
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock).build();
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.upload(2, 16);
        assertThatThrownBy(() -> dfu.dnload(0, new byte[0])).isInstanceOf(StallException.class);
        assertThat(board.violations()).extracting(ProtocolViolation::kind)
                .containsExactly(Kind.REQUEST_IN_FORBIDDEN_STATE);
    }

    @Test
    void unplugAndPlugIn() {
        SimulatedStm32 board = watched(SimulatedStm32.builder(ChipProfile.STM32F407).clock(clock).build());
        RawDfu dfu = new RawDfu(board.connect(), clock);
        dfu.upload(2, 16);
        board.unplug();
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.UNPLUGGED);
        assertThatThrownBy(dfu::getStatus).isInstanceOf(DeviceGoneException.class);
        assertThatThrownBy(board::connect).isInstanceOf(DeviceGoneException.class);
        board.plugIn();
        RawDfu fresh = new RawDfu(board.connect(), clock);
        assertThat(fresh.getState()).isEqualTo(DfuState.DFU_IDLE); // a reset forgets upload-idle
        assertThatThrownBy(dfu::getStatus).isInstanceOf(DeviceGoneException.class); // the old handle stays dead
        assertThat(events).containsExactly("gone:UNPLUGGED", "back");
    }

    /** A clock whose first long sleep blocks until the test lets it go, to catch the host mid-wait. */
    private static final class GateClock implements DfuClock {
        final VirtualClock time = new VirtualClock();
        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public long nanoTime() {
            return time.nanoTime();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            if (d.compareTo(Duration.ofMillis(100)) > 0 && waiting.getCount() > 0) {
                waiting.countDown();
                release.await();
            }
            time.advance(d);
        }
    }

    @Test
    @Timeout(30)
    void unplugWhileTheHostIsHeldInGetStatus() throws Exception {
        GateClock gate = new GateClock();
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).clock(gate)
                .options(SimOptions.realistic().withStatusTiming(SimOptions.StatusTiming.HOLD)).build();
        RawDfu dfu = new RawDfu(board.connect(), gate);
        dfu.dnload(0, RawDfu.addressCommand(0x41, 0x0802_0000L));
        DfuStatus busy = dfu.getStatus();
        gate.time.advance(Duration.ofMillis(busy.pollTimeoutMillis()));
        ExecutorService host = Executors.newSingleThreadExecutor();
        try {
            Future<DfuStatus> held = host.submit(dfu::getStatus);
            assertThat(gate.waiting.await(10, TimeUnit.SECONDS)).isTrue();
            board.unplug(); // must not wait for the held transfer
            assertThat(board.memory(0x0802_0000L, 4)).hasSize(4);
            gate.release.countDown();
            assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(DeviceGoneException.class);
        } finally {
            gate.release.countDown();
            host.shutdownNow();
        }
    }
}
