package com.flashline.dfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's {@link PollPolicy} against each behaviour of the ROM table, on a virtual clock: the
 * exact requests it sends after a DNLOAD and when (ms after the DNLOAD), for a ROM that holds an
 * early GETSTATUS, reports fixed constants, stalls while busy, wedges in dfuDNBUSY, or stalls
 * CLRSTATUS outside dfuERROR.
 */
class DfuDeviceRomBehaviourTest {

    private static final long SECTOR_0 = 0x0800_0000L;
    private static final PollPolicy F4_HELD = PollPolicy.heldStatus(Duration.ofSeconds(32));
    private static final PollPolicy H7_WEDGE = PollPolicy.wedgeRecovering(Duration.ofMillis(4400));

    private final VirtualClock clock = new VirtualClock();
    private final FakeDfuDevice fake = new FakeDfuDevice(clock, 2048);

    private DfuSeDevice device(PollPolicy policy) {
        DfuSeDevice device = new DfuSeDevice(fake, clock, DfuOptions.DEFAULTS.withPollPolicy(policy));
        device.getStatus(); // the state is known from here on
        fake.transfers.clear();
        fake.statusTimeouts.clear();
        return device;
    }

    /** The requests since the device was set up, each with the virtual time it arrived, from the first one on. */
    private List<String> sequence() {
        long start = fake.transfers.get(0).atNanos();
        return fake.transfers.stream()
                .map(t -> t.request() + "@" + Duration.ofNanos(t.atNanos() - start).toMillis()).toList();
    }

    private Duration elapsedSinceFirstRequest() {
        return Duration.ofNanos(clock.nanoTime() - fake.transfers.get(0).atNanos());
    }

    /** An STM32F4: 104 ms reported after a block, the completing GETSTATUS held until the chip is done. */
    private void f4Rom(Duration operation, int reportedMillis) {
        fake.busyPolls = 1;
        fake.pollTimeoutMillis = reportedMillis;
        fake.operationTime = operation;
        fake.holdsEarlyStatus = true;
    }

    @Test
    void aRomThatHoldsTheEarlyGetStatusIsPolledRightAfterTheBusyAnswer() {
        f4Rom(Duration.ofNanos(32_768_000), 104); // 2 KiB at x8
        DfuSeDevice device = device(F4_HELD);

        device.download(2, new byte[2048]);
        device.awaitCompletion(DfuOperation.WRITE_MEMORY);

        assertThat(sequence()).containsExactly("DNLOAD@0", "GETSTATUS@0", "GETSTATUS@0");
        assertThat(elapsedSinceFirstRequest()).isEqualTo(Duration.ofNanos(32_768_000)); // the chip's time
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void theSameRomPolledSpecLiterallyWaitsItsFixedTimeAfterEveryBlock() {
        f4Rom(Duration.ofNanos(32_768_000), 104);
        DfuSeDevice device = device(PollPolicy.SPEC_LITERAL);

        device.download(2, new byte[2048]);
        device.awaitCompletion(DfuOperation.WRITE_MEMORY);

        assertThat(sequence()).containsExactly("DNLOAD@0", "GETSTATUS@0", "GETSTATUS@104");
        assertThat(elapsedSinceFirstRequest()).isEqualTo(Duration.ofMillis(104));
    }

    @Test
    void aFixedConstantAfterAnInstantCommandCostsNothingWhenPolledAtOnce() {
        f4Rom(Duration.ZERO, 100); // Set Address Pointer: nothing to wait for, 100 ms reported

        device(F4_HELD).setAddressPointer(SECTOR_0);
        assertThat(sequence()).containsExactly("DNLOAD@0", "GETSTATUS@0", "GETSTATUS@0");
        assertThat(elapsedSinceFirstRequest()).isZero();

        fake.transfers.clear();
        device(PollPolicy.SPEC_LITERAL).setAddressPointer(SECTOR_0);
        assertThat(sequence()).containsExactly("DNLOAD@0", "GETSTATUS@0", "GETSTATUS@100");
    }

    @Test
    void theHeldPollOfAMassEraseHasATransferTimeoutCoveringTheLongestOperation() {
        f4Rom(Duration.ofSeconds(16), 100); // the F4 reports 100 ms for a 16 s (at most 32 s) mass erase

        device(F4_HELD).massErase();

        assertThat(sequence()).containsExactly("DNLOAD@0", "GETSTATUS@0", "GETSTATUS@0");
        assertThat(elapsedSinceFirstRequest()).isEqualTo(Duration.ofSeconds(16));
        // the executing GETSTATUS, then the held one: 32 s + the transfer timeout, at least the long timeout
        assertThat(fake.statusTimeouts).containsExactly(Duration.ofSeconds(45), Duration.ofSeconds(45));

        f4Rom(Duration.ofSeconds(50), 100);
        device(PollPolicy.heldStatus(Duration.ofSeconds(60))).massErase();
        assertThat(fake.statusTimeouts).containsExactly(Duration.ofSeconds(65), Duration.ofSeconds(65));
    }

    @Test
    void anAtOncePollAnsweredBusyMeansTheRomDoesNotHoldAndItsTimesAreHonouredFromThenOn() {
        fake.busyPolls = 2;
        fake.pollTimeoutMillis = 104;
        DfuSeDevice device = device(F4_HELD);

        device.download(2, new byte[2048]);
        device.awaitCompletion(DfuOperation.WRITE_MEMORY);
        assertThat(sequence()).containsExactly("DNLOAD@0", "GETSTATUS@0", "GETSTATUS@0", "GETSTATUS@104");

        fake.transfers.clear();
        device.download(3, new byte[2048]);
        device.awaitCompletion(DfuOperation.WRITE_MEMORY);
        assertThat(sequence()).containsExactly("DNLOAD@0", "GETSTATUS@0", "GETSTATUS@104", "GETSTATUS@208");
        assertThat(fake.violations).hasSize(1); // the one early poll that found out
    }

    @Test
    void aRomThatStallsGetStatusWhileErasingIsStillBusyAndBackedOffLongerEachTime() {
        fake.busyPolls = 1;
        fake.pollTimeoutMillis = 5; // an L4: too short for the erase
        fake.stallsWhileBusy = 2;

        device(PollPolicy.SPEC_LITERAL).eraseSector(SECTOR_0);

        assertThat(sequence()).containsExactly("DNLOAD@0", "GETSTATUS@0", "GETSTATUS@5", "GETSTATUS@25",
                "GETSTATUS@65");
        assertThat(fake.erasedSectors).containsExactly(SECTOR_0);
        assertThat(fake.violations).isEmpty();
    }

    /** An H7 rev V: every erase leaves it in dfuDNBUSY, reporting 1.1 s each time. */
    private void wedgingH7() {
        fake.busyPolls = 1;
        fake.pollTimeoutMillis = 1100;
        fake.wedgesOnErase = true;
        fake.clearStatusOutsideErrorEntersError = true;
    }

    @Test
    void aWedgedEraseIsClearedWithTwoClearStatusAndTheSectorReadBackBlank() {
        wedgingH7();
        DfuSeDevice device = device(H7_WEDGE);

        device.eraseSector(SECTOR_0);

        assertThat(sequence()).startsWith("DNLOAD@0", "GETSTATUS@0", "GETSTATUS@1100", "GETSTATUS@2200",
                "GETSTATUS@3300", "CLRSTATUS@4400", "GETSTATUS@4400", "CLRSTATUS@4400", "GETSTATUS@4400",
                // the erase's outcome is not known: read the sector back (Set Address, ABORT, 8 blocks)
                "DNLOAD@4400", "GETSTATUS@4400", "GETSTATUS@5500", "ABORT@5500", "UPLOAD@5500");
        assertThat(fake.count(DfuRequest.UPLOAD)).isEqualTo(8);
        assertThat(fake.erasedSectors).containsExactly(SECTOR_0);
        assertThat(device.statistics().wedgeRecoveries()).isEqualTo(1);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void aWedgedEraseThatLeftTheSectorAsItWasIsErasedOnceMoreThenFails() {
        wedgingH7();
        fake.wedgeSkipsErase = true;
        DfuSeDevice device = device(H7_WEDGE);

        assertThatThrownBy(() -> device.eraseSector(SECTOR_0)).isInstanceOf(DfuStateException.class)
                .hasMessageContaining("not blank");
        assertThat(fake.erasedSectors).containsExactly(SECTOR_0, SECTOR_0);
        assertThat(device.statistics().wedgeRecoveries()).isEqualTo(2);
        assertThat(fake.count(DfuRequest.UPLOAD)).isEqualTo(2); // each read stops at its first block
    }

    @Test
    void aRomThatStallsClearStatusOutsideErrorIsClearedFromTheErrorTheStallLeaves() {
        wedgingH7();
        fake.clearStatusOutsideErrorEntersError = false; // STM32C5: DFU 1.1 as written

        DfuSeDevice device = device(H7_WEDGE);
        device.eraseSector(SECTOR_0);

        assertThat(sequence()).startsWith("DNLOAD@0", "GETSTATUS@0", "GETSTATUS@1100", "GETSTATUS@2200",
                "GETSTATUS@3300", "CLRSTATUS@4400", "GETSTATUS@4400", "CLRSTATUS@4400", "GETSTATUS@4400",
                "DNLOAD@4400");
        assertThat(fake.erasedSectors).containsExactly(SECTOR_0);
        assertThat(device.statistics().wedgeRecoveries()).isEqualTo(1);
        assertThat(fake.violations).isEmpty();
    }

    @Test
    void theSpecLiteralPolicyNeverSendsClearStatusToABusyRomAndTimesOut() {
        wedgingH7();

        assertThatThrownBy(() -> device(PollPolicy.SPEC_LITERAL).eraseSector(SECTOR_0))
                .isInstanceOf(DfuTimeoutException.class);
        assertThat(fake.count(DfuRequest.CLRSTATUS)).isZero();
        assertThat(elapsedSinceFirstRequest()).isLessThanOrEqualTo(DfuOptions.DEFAULTS.sectorEraseTimeout());
    }

    @Test
    void onlySectorErasesAreTakenForWedged() {
        fake.busyPolls = 6;
        fake.pollTimeoutMillis = 1100;
        DfuSeDevice device = device(H7_WEDGE);

        device.massErase(); // busy for 6.6 s, longer than the wedge threshold: a slow mass erase, not a wedge

        assertThat(fake.count(DfuRequest.CLRSTATUS)).isZero();
        assertThat(fake.massErases).isEqualTo(1);
    }
}
