package com.flashline.dfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The edges of the engine's small value types: descriptor bits and bounds, region attributes and
 * geometry, option validation, and where a layout string's error points. Written against the
 * mutants PIT found surviving (docs/reliability.md, "Mutation testing").
 */
class DfuValueTypesTest {

    // ------------------------------------------------------------ DfuFunctionalDescriptor

    @Test
    void eachAttributeBitIsReadOnItsOwn() {
        DfuFunctionalDescriptor none = new DfuFunctionalDescriptor(0, 0, 64, 0x011A);
        assertThat(none.canDownload()).isFalse();
        assertThat(none.canUpload()).isFalse();
        assertThat(none.manifestationTolerant()).isFalse();
        assertThat(none.willDetach()).isFalse();

        DfuFunctionalDescriptor others = new DfuFunctionalDescriptor(0xF0, 0, 64, 0x011A);
        assertThat(others.canDownload() || others.canUpload() || others.willDetach()
                || others.manifestationTolerant()).as("bits 4..7 mean none of them").isFalse();

        assertThat(new DfuFunctionalDescriptor(DfuFunctionalDescriptor.CAN_DOWNLOAD, 0, 64, 0x011A))
                .extracting(DfuFunctionalDescriptor::canDownload, DfuFunctionalDescriptor::canUpload,
                        DfuFunctionalDescriptor::willDetach)
                .containsExactly(true, false, false);
        assertThat(new DfuFunctionalDescriptor(DfuFunctionalDescriptor.CAN_UPLOAD, 0, 64, 0x011A))
                .extracting(DfuFunctionalDescriptor::canDownload, DfuFunctionalDescriptor::canUpload,
                        DfuFunctionalDescriptor::willDetach)
                .containsExactly(false, true, false);
        assertThat(new DfuFunctionalDescriptor(DfuFunctionalDescriptor.WILL_DETACH, 0, 64, 0x011A))
                .extracting(DfuFunctionalDescriptor::canDownload, DfuFunctionalDescriptor::canUpload,
                        DfuFunctionalDescriptor::willDetach)
                .containsExactly(false, false, true);
    }

    @Test
    void transferSizeBoundsAreOneAnd0xFFFF() {
        assertThatCode(() -> new DfuFunctionalDescriptor(0, 0, 1, 0x011A)).doesNotThrowAnyException();
        assertThatCode(() -> new DfuFunctionalDescriptor(0, 0, 0xFFFF, 0x011A)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new DfuFunctionalDescriptor(0, 0, 0, 0x011A))
                .isInstanceOf(DfuProtocolException.class);
        assertThatThrownBy(() -> new DfuFunctionalDescriptor(0, 0, 0x10000, 0x011A))
                .isInstanceOf(DfuProtocolException.class);
    }

    @Test
    void encodeAndDecodeKeepHighBytesAndTheVersion() {
        DfuFunctionalDescriptor d = new DfuFunctionalDescriptor(0x0B, 0xABCD, 0x1234, 0x011A);
        byte[] bytes = d.encode();
        assertThat(bytes).containsExactly(9, 0x21, 0x0B, 0xCD, 0xAB, 0x34, 0x12, 0x1A, 0x01);
        assertThat(DfuFunctionalDescriptor.decode(bytes)).isEqualTo(d);
        // The attribute byte and the high byte of each field are taken whole, not masked to a bit.
        byte[] high = {9, 0x21, (byte) 0xFF, (byte) 0xFE, (byte) 0xFF, (byte) 0xFE, (byte) 0xFF, 0x00, 0x01};
        DfuFunctionalDescriptor decoded = DfuFunctionalDescriptor.decode(high);
        assertThat(decoded.bmAttributes()).isEqualTo(0xFF);
        assertThat(decoded.detachTimeoutMillis()).isEqualTo(0xFFFE);
        assertThat(decoded.transferSize()).isEqualTo(0xFFFE);
        assertThat(decoded.bcdDfuVersion()).isEqualTo(0x0100);
        // A 7-byte (DFU 1.0) descriptor has no version: 1.0 is assumed.
        byte[] seven = {7, 0x21, 0x03, 0x00, 0x00, 0x00, 0x08};
        assertThat(DfuFunctionalDescriptor.decode(seven).bcdDfuVersion()).isEqualTo(0x0100);
        assertThat(DfuFunctionalDescriptor.decode(seven).transferSize()).isEqualTo(0x0800);
    }

    @Test
    void findSkipsOtherDescriptorsAndNeedsTheWholeOneInside() {
        byte[] functional = new DfuFunctionalDescriptor(0x0B, 255, 2048, 0x011A).encode();
        byte[] extra = new byte[3 + functional.length];
        extra[0] = 3;
        extra[1] = 0x24; // some other class descriptor, three bytes long
        extra[2] = 0x21; // a byte that looks like the DFU type but is not at a descriptor start
        System.arraycopy(functional, 0, extra, 3, functional.length);
        assertThat(DfuFunctionalDescriptor.find(extra).transferSize()).isEqualTo(2048);

        byte[] cut = java.util.Arrays.copyOf(extra, extra.length - 1);
        assertThatThrownBy(() -> DfuFunctionalDescriptor.find(cut)).isInstanceOf(DfuProtocolException.class);
        byte[] exact = functional.clone();
        assertThat(DfuFunctionalDescriptor.find(exact).transferSize()).isEqualTo(2048);
        assertThatThrownBy(() -> DfuFunctionalDescriptor.find(new byte[] {1, 0x21}))
                .isInstanceOf(DfuProtocolException.class);
        assertThatThrownBy(() -> DfuFunctionalDescriptor.find(new byte[] {9}))
                .isInstanceOf(DfuProtocolException.class);
    }

    // ------------------------------------------------------------ MemoryRegion

    @Test
    void regionAttributesAreSeparateBits() {
        MemoryRegion r = new MemoryRegion(0x0800_0000L, 4, 16 * 1024, MemoryRegion.READABLE);
        assertThat(r.readable()).isTrue();
        assertThat(r.erasable()).isFalse();
        assertThat(r.writeable()).isFalse();
        MemoryRegion w = new MemoryRegion(0x0800_0000L, 4, 16 * 1024, MemoryRegion.WRITEABLE);
        assertThat(w.readable()).isFalse();
        assertThat(w.writeable()).isTrue();
        MemoryRegion e = new MemoryRegion(0x0800_0000L, 4, 16 * 1024, MemoryRegion.ERASABLE);
        assertThat(e.readable() || e.writeable()).isFalse();
        assertThat(e.erasable()).isTrue();
    }

    @Test
    void regionsNameTheirAttributesAsLetters() {
        assertThat(new MemoryRegion(0x0800_0000L, 4, 1024, 7).toString()).isEqualTo("0x08000000 4*1024rew");
        assertThat(new MemoryRegion(0x1FFF_7800L, 1, 512, 1).toString()).isEqualTo("0x1fff7800 1*512r--");
        assertThat(MemoryRegion.attributeLetters(2)).isEqualTo("-e-");
        assertThat(MemoryRegion.attributeLetters(4)).isEqualTo("--w");
        assertThat(MemoryRegion.attributeLetters(0)).isEqualTo("---");
    }

    @Test
    void regionsThatOnlyTouchDoNotOverlapAndSectorsFollowEachOther() {
        MemoryRegion a = new MemoryRegion(0x0800_0000L, 4, 0x4000, 7);
        MemoryRegion touching = new MemoryRegion(a.end(), 1, 0x10000, 7);
        MemoryRegion inside = new MemoryRegion(a.end() - 0x4000, 1, 0x4000, 7);
        assertThat(a.overlaps(touching)).isFalse();
        assertThat(touching.overlaps(a)).isFalse();
        assertThat(a.overlaps(inside)).isTrue();
        assertThat(inside.overlaps(a)).isTrue();
        assertThat(a.sectors()).extracting(Sector::start)
                .containsExactly(0x0800_0000L, 0x0800_4000L, 0x0800_8000L, 0x0800_C000L);
        assertThat(a.sectors()).allSatisfy(s -> assertThat(s.size()).isEqualTo(0x4000));
    }

    // ------------------------------------------------------------ DfuOptions

    @Test
    void everyDurationMustBePositive() {
        Duration zero = Duration.ZERO;
        Duration one = Duration.ofMillis(1);
        for (int field = 0; field < 7; field++) {
            Duration[] d = {one, one, one, one, one, one, one};
            d[field] = zero;
            assertThatThrownBy(() -> new DfuOptions(d[0], d[1], d[2], d[3], d[4], 1, 0, d[5], d[6]))
                    .as("duration %d", field).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be positive");
            d[field] = Duration.ofMillis(-1);
            assertThatThrownBy(() -> new DfuOptions(d[0], d[1], d[2], d[3], d[4], 1, 0, d[5], d[6]))
                    .as("duration %d", field).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatCode(() -> new DfuOptions(one, one, one, one, one, 1, 0, one, one)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new DfuOptions(one, one, one, one, one, 0, 0, one, one))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DfuOptions(one, one, one, one, one, 1, -1, one, one))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withersChangeOneValueAndDefaultsAreTheDefaults() {
        DfuOptions d = DfuOptions.defaults();
        assertThat(d).isSameAs(DfuOptions.DEFAULTS);
        assertThat(d.withTransferTimeout(Duration.ofSeconds(1)).transferTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.withCommandTimeout(Duration.ofSeconds(2)).commandTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.withMaxBusyStalls(3).maxBusyStalls()).isEqualTo(3);
        assertThat(d.withMaxRecoveryTries(4).maxRecoveryTries()).isEqualTo(4);
        assertThat(d.withMaxBusyStalls(3).commandTimeout()).isEqualTo(d.commandTimeout());
    }

    @Test
    void stallBackoffDoublesUpToItsCapAndStartsAtOne() {
        DfuOptions d = DfuOptions.DEFAULTS; // stallBackoff 20 ms
        assertThat(d.stallBackoff(1)).isEqualTo(Duration.ofMillis(20));
        assertThat(d.stallBackoff(2)).isEqualTo(Duration.ofMillis(40));
        assertThat(d.stallBackoff(3)).isEqualTo(Duration.ofMillis(80));
        assertThatThrownBy(() -> d.stallBackoff(0)).isInstanceOf(IllegalArgumentException.class);
        Duration cap = d.stallBackoff(1000);
        assertThat(d.stallBackoff(999)).isEqualTo(cap);
        assertThat(cap).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        // A backoff equal to the cap stays there; one above it is its own cap.
        Function<Duration, DfuOptions> withBackoff = b -> new DfuOptions(d.transferTimeout(),
                d.longStatusTimeout(), d.commandTimeout(), d.sectorEraseTimeout(), d.massEraseTimeout(),
                d.maxRecoveryTries(), d.maxBusyStalls(), d.minPollInterval(), b);
        assertThat(withBackoff.apply(cap).stallBackoff(1)).isEqualTo(cap);
        assertThat(withBackoff.apply(cap).stallBackoff(5)).isEqualTo(cap);
        Duration above = cap.plusMillis(1);
        assertThat(withBackoff.apply(above).stallBackoff(3)).isEqualTo(above);
    }

    // ------------------------------------------------------------ DfuStatus

    @Test
    void statusBoundsAndText() {
        assertThatCode(() -> new DfuStatus(DfuStatusCode.OK, 0, DfuState.DFU_IDLE, 0)).doesNotThrowAnyException();
        assertThatCode(() -> new DfuStatus(DfuStatusCode.OK, 0xFFFFFF, DfuState.DFU_IDLE, 0xFF))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> new DfuStatus(DfuStatusCode.OK, -1, DfuState.DFU_IDLE, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DfuStatus(DfuStatusCode.OK, 0, DfuState.DFU_IDLE, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DfuStatus(DfuStatusCode.OK, 25, DfuState.DFU_DNBUSY, 0).toString())
                .isEqualTo("OK/dfuDNBUSY (bwPollTimeout 25 ms)");
    }

    // ------------------------------------------------------------ MemoryLayout

    @Test
    void aLayoutErrorPointsAtItsPartInTheString() {
        String layout = "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg/0x1FFF0000/01*016Kx";
        assertThatThrownBy(() -> MemoryLayout.parse(layout))
                .isInstanceOfSatisfying(MemoryLayoutException.class,
                        e -> assertThat(e.position()).isEqualTo(layout.indexOf("01*016Kx")));
        String second = "@Flash/0x08000000/04*016Kg,0x*064Kg";
        assertThatThrownBy(() -> MemoryLayout.parse(second))
                .isInstanceOfSatisfying(MemoryLayoutException.class,
                        e -> assertThat(e.position()).isEqualTo(second.indexOf("0x*064Kg")));
        String address = "@Flash/0x08000000/04*016Kg/0xZZ/01*016Kg";
        assertThatThrownBy(() -> MemoryLayout.parse(address))
                .isInstanceOfSatisfying(MemoryLayoutException.class,
                        e -> assertThat(e.position()).isEqualTo(address.indexOf("0xZZ")));
    }

    @Test
    void layoutFieldsAtTheirLimits() {
        assertThat(MemoryLayout.parse("@F/0x0/1*2 g").regions()).hasSize(1);
        assertThat(MemoryLayout.parse("@F/0x12345678/65536*1 a").regions().get(0).sectorCount())
                .isEqualTo(65_536);
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x12345678/65537*1 a")).isInstanceOf(MemoryLayoutException.class);
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x123456789/1*1Ka")).isInstanceOf(MemoryLayoutException.class);
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x/1*1Ka")).isInstanceOf(MemoryLayoutException.class);
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x0/10000000*1 a")).isInstanceOf(MemoryLayoutException.class);
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x0/*1Ka")).isInstanceOf(MemoryLayoutException.class);
        assertThat(MemoryLayout.parse("@F/0x0/1*1Ka").regions().get(0).attributes()).isEqualTo(1);
        assertThat(MemoryLayout.parse("@F/0x0/1*1Kg").regions().get(0).attributes()).isEqualTo(7);
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x0/1*1Kh")).isInstanceOf(MemoryLayoutException.class);
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x0/1*1K`")).isInstanceOf(MemoryLayoutException.class);
        // Exactly up to the end of the 32-bit space is allowed, one byte more is not.
        assertThat(MemoryLayout.parse("@F/0xFFFFFC00/1*1Kg").regions().get(0).end()).isEqualTo(0x1_0000_0000L);
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0xFFFFFC01/1*1Kg")).isInstanceOf(MemoryLayoutException.class);
        assertThat(MemoryLayout.parse("@F/0x0/1*2047Mg").regions().get(0).sectorSize()).isEqualTo(2047 * 1024 * 1024);
        assertThatThrownBy(() -> MemoryLayout.parse("@F/0x0/1*2048Mg")).isInstanceOf(MemoryLayoutException.class);
        assertThat(MemoryLayout.parse("@F /0x0/1*1Kg").toString()).contains("F");
    }

    // ------------------------------------------------------------ Sector, ControlSetup, statistics, policies

    @Test
    void sectorsKnowTheirBoundsAttributesAndName() {
        Sector s = new Sector(0x0800_4000L, 0x4000, MemoryRegion.READABLE | MemoryRegion.WRITEABLE);
        assertThat(s.end()).isEqualTo(0x0800_8000L);
        assertThat(s.contains(0x0800_4000L)).isTrue();
        assertThat(s.contains(0x0800_7FFFL)).isTrue();
        assertThat(s.contains(0x0800_3FFFL)).isFalse();
        assertThat(s.contains(0x0800_8000L)).isFalse();
        assertThat(s.readable()).isTrue();
        assertThat(s.writeable()).isTrue();
        assertThat(s.erasable()).isFalse();
        Sector e = new Sector(0, 2, MemoryRegion.ERASABLE);
        assertThat(e.erasable()).isTrue();
        assertThat(e.readable() || e.writeable()).isFalse();
        assertThat(s.toString()).isEqualTo("0x08004000+16384 r-w");
    }

    @Test
    void setupFieldsAreRangeCheckedAndTheDirectionIsBitSeven() {
        assertThatCode(() -> new ControlSetup(0xFF, 0xFF, 0xFFFF, 0xFFFF, 0xFFFF)).doesNotThrowAnyException();
        int[] max = {0xFF, 0xFF, 0xFFFF, 0xFFFF, 0xFFFF};
        for (int field = 0; field < 5; field++) {
            int[] v = {0, 0, 0, 0, 0};
            v[field] = max[field] + 1;
            assertThatThrownBy(() -> new ControlSetup(v[0], v[1], v[2], v[3], v[4])).as("field %d", field)
                    .isInstanceOf(IllegalArgumentException.class);
            v[field] = -1;
            assertThatThrownBy(() -> new ControlSetup(v[0], v[1], v[2], v[3], v[4])).as("field %d", field)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new ControlSetup(ControlSetup.CLASS_INTERFACE_IN, 3, 0, 0, 6).isDeviceToHost()).isTrue();
        assertThat(new ControlSetup(ControlSetup.CLASS_INTERFACE_OUT, 1, 2, 0, 6).isDeviceToHost()).isFalse();
        assertThat(new ControlSetup(0x7F, 1, 2, 0, 6).isDeviceToHost()).isFalse();
        assertThat(new ControlSetup(0xA1, 3, 2, 0, 6).toString()).isEqualTo("SETUP[a1 03 wValue=2 wIndex=0 wLength=6]");
    }

    @Test
    void transportFailuresNameTheirRequest() {
        ControlSetup getStatus = DfuRequest.GETSTATUS.setup(0, 0, 6);
        StallException stall = new StallException("stalled", getStatus);
        assertThat(stall.setup()).isSameAs(getStatus);
        assertThat(stall.getMessage()).isEqualTo("stalled (GETSTATUS wValue=0 wLength=6)");
        assertThat(new StallException("stalled", new ControlSetup(0x80, 0x33, 0x0100, 0, 18)).getMessage())
                .isEqualTo("stalled (request 51 wValue=256 wLength=18)");
        assertThat(new StallException("stalled", null).getMessage()).isEqualTo("stalled");
    }

    @Test
    void statisticsAddUpResetAndListEveryRequest() {
        TransferStatistics a = new TransferStatistics();
        a.countTransfer(DfuRequest.DNLOAD);
        a.countTransfer(DfuRequest.DNLOAD);
        a.countTransfer(DfuRequest.GETSTATUS);
        a.addBytesDown(100);
        TransferStatistics b = new TransferStatistics();
        b.countTransfer(DfuRequest.UPLOAD);
        b.addBytesUp(64);
        b.countAltSwitch();
        b.countWedgeRecovery();
        a.add(b);
        assertThat(a.totalTransfers()).isEqualTo(4);
        assertThat(a.transfersByRequest()).containsEntry(DfuRequest.DNLOAD, 2L).containsEntry(DfuRequest.UPLOAD, 1L)
                .containsEntry(DfuRequest.GETSTATUS, 1L).hasSize(DfuRequest.values().length);
        assertThat(a.bytesDown()).isEqualTo(100);
        assertThat(a.bytesUp()).isEqualTo(64);
        assertThat(a.altSettingSwitches()).isEqualTo(1);
        assertThat(a.wedgeRecoveries()).isEqualTo(1);
        assertThat(a.toString()).contains("DNLOAD=2").contains("bytesDown=100").contains("bytesUp=64")
                .contains("wedgeRecoveries=1");
        a.reset();
        assertThat(a.totalTransfers()).isZero();
        assertThat(a.bytesDown() + a.bytesUp() + a.altSettingSwitches() + a.wedgeRecoveries()).isZero();
        assertThat(b.totalTransfers()).as("add leaves the other alone").isEqualTo(1);
    }

    @Test
    void pollPoliciesKeepTheirLimitsAndRefuseNonPositiveOnes() {
        PollPolicy held = PollPolicy.heldStatus(Duration.ofSeconds(2));
        assertThat(held.knownHeldUpTo()).contains(Duration.ofSeconds(2));
        assertThat(held.knownWedgedAfter()).isEmpty();
        assertThat(held.toString()).isEqualTo("HELD_STATUS");
        PollPolicy wedge = PollPolicy.wedgeRecovering(Duration.ofSeconds(3));
        assertThat(wedge).isNotNull();
        assertThat(wedge.knownWedgedAfter()).contains(Duration.ofSeconds(3));
        assertThat(wedge.knownHeldUpTo()).isEmpty();
        assertThat(wedge.name()).isEqualTo("WEDGE_RECOVERY");
        assertThat(PollPolicy.SPEC_LITERAL.knownHeldUpTo()).isEmpty();
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-1)}) {
            assertThatThrownBy(() -> PollPolicy.heldStatus(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> PollPolicy.wedgeRecovering(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void statesAndStatusCodesPrintTheirSpecNames() {
        assertThat(DfuState.DFU_DNBUSY.toString()).isEqualTo("dfuDNBUSY");
        assertThat(DfuStatusCode.OK.toString()).isEqualTo(DfuStatusCode.OK.specName()).isNotEmpty();
        assertThat(DfuStatusCode.ERR_TARGET.description()).isNotBlank();
    }

    @Test
    void theSystemClockMovesAndSleepsAtLeastAsLongAsAsked() throws InterruptedException {
        long before = DfuClock.SYSTEM.nanoTime();
        DfuClock.SYSTEM.sleep(Duration.ofNanos(200_000));
        assertThat(DfuClock.SYSTEM.nanoTime() - before).isGreaterThanOrEqualTo(200_000);
        DfuClock.SYSTEM.sleep(Duration.ZERO);
        DfuClock.SYSTEM.sleep(Duration.ofMillis(-1));
        assertThat(DfuClock.SYSTEM.toString()).isEqualTo("SYSTEM");
    }

    /**
     * parkNanos may return before its time (a pending unpark permit, a spurious wakeup): the engine
     * must still never poll before bwPollTimeout, so the wait goes on against the monotonic clock.
     */
    @Test
    void theSystemClockKeepsWaitingWhenParkingReturnsEarly() throws InterruptedException {
        java.util.concurrent.locks.LockSupport.unpark(Thread.currentThread()); // the first park returns at once
        long before = System.nanoTime();

        DfuClock.SYSTEM.sleep(Duration.ofMillis(20));

        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    }
}
