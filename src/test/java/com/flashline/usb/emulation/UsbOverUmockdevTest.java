package com.flashline.usb.emulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashline.support.Prerequisites;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.DfuState;
import com.flashline.dfu.DfuStatus;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real usb4java path ({@code UsbDeviceWatcher}, {@code UsbDfuTransport}, libusb, usbdevfs
 * ioctls) against devices emulated by the umockdev bridge, driven from a child JVM.
 */
class UsbOverUmockdevTest {

    private static final HexFormat HEX = HexFormat.of();
    /** Long enough that a passing test never depends on a rescan: hotplug has to do the work. */
    private static final Duration SLOW_RESCAN = Duration.ofMinutes(5);

    private UmockdevBridge bridge;
    private ProbeProcess probe;

    @BeforeEach
    void startBridge() {
        Prerequisites.require(UmockdevBridge.unavailableReason().map(reason -> "umockdev bridge unavailable: " + reason));
        bridge = UmockdevBridge.start();
    }

    @AfterEach
    void stop() {
        if (probe != null) {
            probe.close();
        }
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void watcherSeesDevicesPluggedAtDifferentTimesOnDifferentPortsAndAnUnplug() {
        bridge.plug("1-1", new FakeDfuDevice("AAAA00000001"));
        probe = ProbeProcess.start(bridge.environment(), SLOW_RESCAN);
        assertThat(probe.awaitPrefix("status ")).startsWith("status UP hotplug=true");
        assertThat(probe.awaitPrefix("arrived ")).isEqualTo(
                "arrived 1-1 0483:df11 2200 serial=AAAA00000001 product=STM32  BOOTLOADER");

        bridge.plug("1-2", new FakeDfuDevice("AAAA00000002"));
        assertThat(probe.awaitPrefix("arrived ")).startsWith("arrived 1-2 0483:df11 2200 serial=AAAA00000002");
        bridge.plug("1-3.1", new FakeDfuDevice("AAAA00000003"));
        assertThat(probe.awaitPrefix("arrived ")).startsWith("arrived 1-3.1 0483:df11 2200 serial=AAAA00000003");
        bridge.plug("2-1.4.2", new FakeDfuDevice("AAAA00000004"));
        assertThat(probe.awaitPrefix("arrived ")).startsWith("arrived 2-1.4.2 0483:df11 2200 serial=AAAA00000004");

        bridge.unplug("1-2");
        assertThat(probe.awaitPrefix("removed ")).isEqualTo("removed 1-2");
        assertThat(probe.call("open 1-2")).startsWith("error open 1-2 DeviceGoneException");
        assertThat(probe.call("open 2-1.4.2")).startsWith("ok open 2-1.4.2 serial=AAAA00000004");
    }

    @Test
    void reEnumerationOnTheSamePortIsReportedAsRemovedThenArrived() {
        bridge.plug("1-4", new FakeDfuDevice("BBBB00000001"));
        probe = ProbeProcess.start(bridge.environment(), SLOW_RESCAN);
        probe.awaitPrefix("arrived 1-4 ");

        bridge.unplug("1-4");
        bridge.plug("1-4", new FakeDfuDevice("BBBB00000001"));

        assertThat(probe.awaitPrefix("removed ")).isEqualTo("removed 1-4");
        assertThat(probe.awaitPrefix("arrived ")).startsWith("arrived 1-4 0483:df11 2200 serial=BBBB00000001");
    }

    @Test
    void rescanAloneFindsDevicesAndNoticesTheirDeparture() {
        bridge.plug("1-7", new FakeDfuDevice("CCCC00000001"));
        probe = ProbeProcess.start(bridge.environment(), Duration.ofMillis(300));
        probe.awaitPrefix("arrived 1-7 ");
        // Hotplug and rescan both see each change; the listener must hear of it exactly once.
        bridge.plug("1-8", new FakeDfuDevice("CCCC00000002"));
        assertThat(probe.awaitPrefix("arrived ")).startsWith("arrived 1-8 ");
        bridge.unplug("1-7");
        assertThat(probe.awaitPrefix("removed ")).isEqualTo("removed 1-7");
        assertThat(probe.call("open 1-8")).startsWith("ok open 1-8");
        assertThat(probe.diagnostics().lines().filter(l -> l.startsWith("arrived ") || l.startsWith("removed ")))
                .containsExactly("arrived 1-7 0483:df11 2200 serial=CCCC00000001 product=STM32  BOOTLOADER",
                        "arrived 1-8 0483:df11 2200 serial=CCCC00000002 product=STM32  BOOTLOADER",
                        "removed 1-7");
    }

    @Test
    void transportReadsDescriptorsAndCarriesDfuRequests() {
        FakeDfuDevice device = new FakeDfuDevice("DDDD00000001");
        bridge.plug("1-3", device);
        probe = ProbeProcess.start(bridge.environment(), SLOW_RESCAN);
        probe.awaitPrefix("arrived 1-3 ");

        assertThat(probe.call("open 1-3")).as(probe.diagnostics()).isEqualTo("ok open 1-3 serial=DDDD00000001 transfer=2048 alts="
                + String.join("|", FakeDfuDevice.STM32F4_ALT_NAMES));
        assertThat(probe.call("alt 1-3 1")).isEqualTo("ok alt 1-3");
        assertThat(device.altSetting()).isEqualTo(1);
        assertThat(probe.call("alt 1-3 0")).isEqualTo("ok alt 1-3");
        assertThat(device.altSetting()).isZero();

        String status = probe.call("getstatus 1-3");
        assertThat(DfuStatus.decode(HEX.parseHex(status.substring("ok getstatus 1-3 ".length()))).state())
                .isEqualTo(DfuState.DFU_IDLE);

        byte[] block = new byte[2048];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (255 - i % 251);
        }
        assertThat(probe.call("dnload 1-3 3 " + HEX.formatHex(block))).isEqualTo("ok dnload 1-3");
        assertThat(device.memory(2048, 2048)).isEqualTo(block);
        assertThat(probe.call("getstatus 1-3")).endsWith(HEX.formatHex(new byte[] {0, 0, 0, 0, 5, 0}));

        assertThat(probe.call("upload 1-3 3 2048")).isEqualTo("ok upload 1-3 " + HEX.formatHex(block));
        assertThat(probe.call("getstate 1-3")).isEqualTo("ok getstate 1-3 09");
        assertThat(probe.call("dnload 1-3 0")).isEqualTo("ok dnload 1-3");
        assertThat(device.received()).extracting(FakeDfuDevice.Received::request).containsExactly(
                DfuRequest.GETSTATUS, DfuRequest.DNLOAD, DfuRequest.GETSTATUS, DfuRequest.UPLOAD,
                DfuRequest.GETSTATE, DfuRequest.DNLOAD);
    }

    @Test
    void truncatedStringDescriptorsAreDecodedAsFarAsTheyArrived() {
        FakeDfuDevice device = new FakeDfuDevice("EEEE00000001");
        bridge.plug("1-2", DeviceSpec.of(device).withTruncatedStrings(), device);
        probe = ProbeProcess.start(bridge.environment(), SLOW_RESCAN);

        // Each string lost its last byte: the final UTF-16 unit is incomplete and dropped.
        assertThat(probe.awaitPrefix("arrived ")).isEqualTo("arrived 1-2 0483:df11 2200 serial=EEEE0000000 product=STM32  BOOTLOADE");
    }

    @Test
    void aStallingBackendIsAStallException() {
        bridge.plug("1-5", new FakeDfuDevice("FFFF00000001").stallOn(DfuRequest.UPLOAD));
        probe = ProbeProcess.start(bridge.environment(), SLOW_RESCAN);
        probe.awaitPrefix("arrived 1-5 ");
        probe.call("open 1-5");

        assertThat(probe.call("upload 1-5 2 2048")).startsWith("error upload 1-5 StallException");
        assertThat(probe.call("getstatus 1-5")).startsWith("ok getstatus 1-5 ");
    }

    @Test
    void aBackendThatNeverAnswersIsATransferTimeout() {
        bridge.plug("1-5", new FakeDfuDevice("FFFF00000002").ignore(DfuRequest.GETSTATUS));
        probe = ProbeProcess.start(bridge.environment(), SLOW_RESCAN);
        probe.awaitPrefix("arrived 1-5 ");
        probe.call("open 1-5");
        probe.call("timeout 200");

        assertThat(probe.call("getstatus 1-5")).startsWith("error getstatus 1-5 TransferTimeoutException");
        assertThat(probe.call("getstate 1-5")).isEqualTo("ok getstate 1-5 02");
    }

    @Test
    void unpluggingDuringATransferIsDeviceGoneAndOtherDevicesKeepWorking() throws InterruptedException {
        CountDownLatch uploadEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        bridge.plug("1-6", new FakeDfuDevice("GGGG00000001").holdOn(DfuRequest.UPLOAD, uploadEntered, release));
        FakeDfuDevice neighbour = new FakeDfuDevice("GGGG00000002");
        bridge.plug("1-7", neighbour);
        probe = ProbeProcess.start(bridge.environment(), SLOW_RESCAN);
        probe.awaitPrefix("arrived ");
        probe.awaitPrefix("arrived ");
        probe.call("open 1-6");
        probe.call("open 1-7");
        probe.call("timeout 60000");

        probe.send("upload 1-6 2 2048");
        assertThat(uploadEntered.await(30, TimeUnit.SECONDS)).as("upload reached the backend").isTrue();
        bridge.unplug("1-6");

        try {
            assertThat(probe.await(l -> l.startsWith("ok upload 1-6") || l.startsWith("error upload 1-6"), "upload result"))
                    .startsWith("error upload 1-6 DeviceGoneException");
            assertThat(probe.call("getstatus 1-6")).startsWith("error getstatus 1-6 DeviceGoneException");
            assertThat(probe.call("getstatus 1-7")).startsWith("ok getstatus 1-7");
        } finally {
            release.countDown();
        }
    }
}
