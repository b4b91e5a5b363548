package com.flashline.dfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashline.error.FailureCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link DfuDevice}'s GETSTATUS polling after a DNLOAD, driven by DfuSe commands and timed on a virtual clock. */
class DfuDevicePollingTest {

    private final VirtualClock clock = new VirtualClock();
    private final FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private DfuSeDevice device(DfuOptions options) {
        DfuSeDevice device = new DfuSeDevice(fake, clock, options);
        device.getStatus(); // the state is known from here on, so only the operation's polls follow
        fake.transfers.clear();
        return device;
    }

    /** Virtual times at which the GETSTATUS requests after the last DNLOAD arrived, in ms. */
    private List<Long> statusTimesMillis() {
        long dnloadAt = fake.transfers(DfuRequest.DNLOAD).get(fake.transfers(DfuRequest.DNLOAD).size() - 1).atNanos();
        return fake.transfers(DfuRequest.GETSTATUS).stream().filter(t -> t.atNanos() >= dnloadAt)
                .map(t -> Duration.ofNanos(t.atNanos() - dnloadAt).toMillis()).toList();
    }

    @Test
    void pollsNoSoonerThanEachAnswersPollTimeout() {
        fake.busyPolls = 4;
        fake.pollTimeoutMillis = 100;

        device(DfuOptions.DEFAULTS).eraseSector(0x0800_0000L);

        assertThat(statusTimesMillis()).containsExactly(0L, 100L, 200L, 300L, 400L);
        assertThat(fake.violations).isEmpty();
        assertThat(fake.erasedSectors).containsExactly(0x0800_0000L);
    }

    @Test
    void measuresThePollTimeoutFromWhenTheAnswerArrived() {
        fake.busyPolls = 2;
        fake.pollTimeoutMillis = 100;
        fake.statusLatency = Duration.ofMillis(30);

        device(DfuOptions.DEFAULTS).eraseSector(0x0800_0000L);

        // answers arrive at 30, 160, 290: the next request may only leave 100 ms after each
        assertThat(statusTimesMillis()).containsExactly(0L, 130L, 260L);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void keepsPollingADeviceThatAnnouncesTooShortAPollTimeout() {
        fake.busyPolls = 25;
        fake.reportedPollMillis = 3;

        device(DfuOptions.DEFAULTS).eraseSector(0x0800_4000L);

        List<Long> times = statusTimesMillis();
        assertThat(times).hasSize(26);
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).isGreaterThanOrEqualTo(3);
        }
        assertThat(fake.erasedSectors).containsExactly(0x0800_4000L);
    }

    @Test
    void aZeroPollTimeoutIsStillSpacedByTheMinimumInterval() {
        fake.busyPolls = 3;
        fake.reportedPollMillis = 0;

        device(DfuOptions.DEFAULTS).eraseSector(0x0800_0000L);

        assertThat(statusTimesMillis()).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void waitsForARomThatHoldsTheStatusAnswerThroughAMassErase() {
        fake.eraseHold = Duration.ofSeconds(30);

        device(DfuOptions.DEFAULTS).massErase();

        assertThat(fake.massErases).isEqualTo(1);
        assertThat(clock.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aShortLongStatusTimeoutLetsTheHeldAnswerTimeOut() {
        fake.eraseHold = Duration.ofSeconds(30);
        DfuOptions tooShort = new DfuOptions(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(120), 5, 10, Duration.ofMillis(1), Duration.ofMillis(20));

        assertThatThrownBy(() -> device(tooShort).massErase()).isInstanceOf(TransferTimeoutException.class);
    }

    @Test
    void ordinaryCommandsUseTheOrdinaryTransferTimeoutPlusThePollTimeout() {
        assertThat(DfuOptions.DEFAULTS.statusTimeout(DfuOperation.WRITE_MEMORY, 0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(DfuOptions.DEFAULTS.statusTimeout(DfuOperation.WRITE_MEMORY, 3000))
                .isEqualTo(Duration.ofSeconds(8));
        assertThat(DfuOptions.DEFAULTS.statusTimeout(DfuOperation.MASS_ERASE, 0)).isEqualTo(Duration.ofSeconds(45));
        assertThat(DfuOptions.DEFAULTS.statusTimeout(DfuOperation.ERASE_SECTOR, 60_000))
                .isEqualTo(Duration.ofSeconds(65));
    }

    @Test
    void treatsStalledStatusRequestsWhileBusyAsStillBusy() {
        fake.busyPolls = 1;
        fake.pollTimeoutMillis = 50;
        fake.stallsWhileBusy = 3;

        device(DfuOptions.DEFAULTS).eraseSector(0x0800_0000L);

        assertThat(fake.erasedSectors).containsExactly(0x0800_0000L);
        // busy answer at 0, stalls at 50, 100, 150: each waits the longer of the last bwPollTimeout and
        // the back-off (20, 40, 80 ms), so done at 230
        assertThat(statusTimesMillis()).containsExactly(0L, 50L, 100L, 150L, 230L);
    }

    @Test
    void stallsAfterAZeroPollTimeoutBackOffFromTheMinimumDoublingEachTime() {
        fake.busyPolls = 1;
        fake.pollTimeoutMillis = 0;
        fake.stallsWhileBusy = 3;

        device(DfuOptions.DEFAULTS).eraseSector(0x0800_0000L);

        assertThat(statusTimesMillis()).containsExactly(0L, 1L, 21L, 61L, 141L);
    }

    @Test
    void theStallBackOffDoublesUpToASecond() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(DfuOptions.DEFAULTS::stallBackoff)
                .map(Duration::toMillis)).containsExactly(20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L);
    }

    @Test
    void tooManyStallsFailWithTheStall() {
        fake.stallsWhileBusy = 11;

        assertThatThrownBy(() -> device(DfuOptions.DEFAULTS).eraseSector(0x0800_0000L))
                .isInstanceOf(StallException.class);
        assertThat(fake.count(DfuRequest.GETSTATUS)).isEqualTo(1 + 11);
    }

    @Test
    void aDeviceBusyForeverTimesOutWithATypedException() {
        fake.busyPolls = Integer.MAX_VALUE;
        fake.pollTimeoutMillis = 100;

        assertThatThrownBy(() -> device(DfuOptions.DEFAULTS).eraseSector(0x0800_0000L))
                .isInstanceOfSatisfying(DfuTimeoutException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(FailureCode.DFU_TIMEOUT);
                    assertThat(e.request()).isEqualTo(DfuRequest.DNLOAD);
                    assertThat(e.state()).isEqualTo(DfuState.DFU_DNBUSY);
                    assertThat(e.getMessage()).contains("erase sector at 0x08000000", "PT30S");
                });
        assertThat(clock.elapsed()).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(clock.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(29_900));
    }

    @Test
    void anErrorStatusBecomesAStatusExceptionWithTheDeviceReport() {
        fake.failNext = DfuStatusCode.ERR_TARGET;

        assertThatThrownBy(() -> device(DfuOptions.DEFAULTS).eraseSector(0x0800_0000L))
                .isInstanceOfSatisfying(DfuStatusException.class, e -> {
                    assertThat(e.request()).isEqualTo(DfuRequest.DNLOAD);
                    assertThat(e.status()).isEqualTo(DfuStatusCode.ERR_TARGET);
                    assertThat(e.state()).isEqualTo(DfuState.DFU_ERROR);
                    assertThat(e.errorCode()).isEqualTo(FailureCode.DFU_ERR_TARGET);
                    assertThat(e.getMessage()).contains("erase sector at 0x08000000");
                });
    }

    @Test
    void anInterruptedWaitRestoresTheFlagAndCancels() {
        fake.busyPolls = 2;
        DfuClock interrupting = new DfuClock() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                throw new InterruptedException("shutdown");
            }
        };
        DfuSeDevice device = new DfuSeDevice(fake, interrupting, DfuOptions.DEFAULTS);

        assertThatThrownBy(() -> device.eraseSector(0x0800_0000L))
                .isInstanceOfSatisfying(DfuCancelledException.class,
                        e -> assertThat(e.getCause()).isInstanceOf(InterruptedException.class));
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }
}
