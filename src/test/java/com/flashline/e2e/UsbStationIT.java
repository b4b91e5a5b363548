package com.flashline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.flashline.support.Prerequisites;
import com.flashline.e2e.FlashLineApi.Job;
import com.flashline.e2e.FlashLineApi.Port;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.ReadOptions;
import com.flashline.firmware.Segment;
import com.flashline.firmware.TestFirmwareWriters;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.DisconnectReason;
import com.flashline.sim.FaultPlan;
import com.flashline.sim.SimulatedStm32;
import com.flashline.usb.emulation.DeviceSpec;
import com.flashline.usb.emulation.FakeDfuDevice;
import com.flashline.usb.emulation.UmockdevBridge;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged FlashLine jar flashing simulated STM32F407 ROM bootloaders through its real USB path:
 * usb4java → libusb → usbdevfs ioctls, which umockdev's preload library hands to the
 * {@link UmockdevBridge} and from there to {@link SimulatedStm32}s. Nothing in the service is
 * replaced or configured for testing except where it stores data and which port it listens on.
 *
 * <p>One service and one bridge serve every scenario (start-up is the expensive part); each scenario
 * uses its own port paths, so they do not depend on each other's order. See docs/testing-e2e.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsbStationIT {

    private static final long FLASH = ChipProfile.STM32F407.flash().base();
    /** The guard against a hung service or bridge, not a performance expectation. */
    private static final Duration JOB_LIMIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String RESCAN = "500ms";
    private static final String OTHER_DEVICE_PORT = "1-9";

    private UmockdevBridge bridge;
    private PackagedJar service;
    private FlashLineApi api;
    private FirmwareImage blinky;
    private byte[] largeImage;
    private long largeRecipe;
    private long resettingRecipe;
    private byte[] resettingImage;
    private long unprotectRecipe;
    private long optionBytesRecipe;
    private byte[] optionBytes;

    @BeforeAll
    void startBridgeAndService() throws IOException {
        Prerequisites.require(UmockdevBridge.unavailableReason().map(reason -> "umockdev bridge unavailable: " + reason));
        Path jar = PackagedJar.locate();
        bridge = UmockdevBridge.start();
        try {
            // A libusb client that starts on an empty emulated bus never hears of later arrivals
            // (a real machine always has its root hubs). Something that is not an ST bootloader
            // on the bus from the start, as on a real station, and the service ignores it.
            FakeDfuDevice other = new FakeDfuDevice("NOTABOOTLOADER");
            bridge.plug(OTHER_DEVICE_PORT, DeviceSpec.of(other).withIds(0x1d6b, 0x0104, 0x0100), other);
            service = PackagedJar.start(jar, bridge.environment(), "usb-station-it", Map.of(
                    "flashline.usb.enabled", "true",
                    "flashline.usb.rescan-interval", RESCAN,
                    "flashline.station.id", "e2e-station",
                    "flashline.workers", "4"));
        } catch (RuntimeException | Error e) {
            bridge.close();
            throw e;
        }
        api = new FlashLineApi(service.baseUri(), service.adminPassword());

        byte[] blinkyHex = resource("/firmware/blinky-flash.hex");
        blinky = FirmwareReader.read(blinkyHex, "blinky-flash.hex", ReadOptions.defaults());
        long blinkyRecipe = api.createRecipe("e2e-blinky",
                api.uploadFirmware("blinky-flash.hex", blinkyHex, "Blinky", "1.0.0"));

        largeImage = applicationImage(160 * 1024, 11);
        largeRecipe = api.createRecipe("e2e-large",
                api.uploadFirmware("large.hex", intelHex(largeImage), "Large", "1.0.0"));

        // No vector table at the start of flash: the ROM's Leave finds nothing to jump to and resets
        // into the bootloader, so the board re-enumerates on its port as if it had never been flashed.
        resettingImage = new byte[8 * 1024];
        new Random(12).nextBytes(resettingImage);
        Arrays.fill(resettingImage, 0, 8, (byte) 0xFF);
        resettingRecipe = api.createRecipe("e2e-no-vectors",
                api.uploadFirmware("no-vectors.hex", intelHex(resettingImage), "NoVectors", "1.0.0"));

        // Read Unprotect and an option-byte write each reset the chip: it leaves the bus and comes
        // back on its port, and the job that caused it carries on with the same chip.
        unprotectRecipe = api.createRecipe("e2e-unprotect",
                api.uploadFirmware("unprotect.hex", intelHex(largeImage), "Unprotect", "1.0.0"),
                ",\"allowUnprotect\":true");
        ChipProfile.OptionBlock defaults = ChipProfile.STM32F407.optionBytes().first();
        optionBytes = defaults.factoryDefaults();
        optionBytes[2] ^= 0x01; // a user option bit, never the read-protection byte
        optionBytesRecipe = api.createRecipe("e2e-option-bytes",
                api.uploadFirmware("options.hex", intelHex(largeImage), "Options", "1.0.0"),
                ",\"optionBytes\":{\"address\":" + defaults.base() + ",\"hex\":\""
                        + HexFormat.of().formatHex(optionBytes) + "\"}");

        api.configureStation(blinkyRecipe, true);
    }

    @AfterAll
    void stopServiceAndBridge() {
        try {
            if (service != null) {
                service.close();
                assertThat(service.alive()).as("the service process is gone").isFalse();
            }
        } finally {
            if (bridge != null) {
                bridge.close();
            }
        }
    }

    @Test
    void fourBoardsPluggedOneAfterAnotherOnFourPortsAreAllFlashed() {
        List<String> ports = List.of("1-1", "1-2", "1-3.1", "1-3.2");
        Map<String, SimulatedStm32> boards = new LinkedHashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            String port = ports.get(i);
            SimulatedStm32 board = board(100 + i, port, FaultPlan.none());
            bridge.plugBoard(port, board);
            boards.put(port, board);
            // The next board arrives once this one's job exists: boards come at different times and
            // the service flashes several at once.
            await("a job for the board on " + port).atMost(JOB_LIMIT).pollInterval(POLL)
                    .until(() -> !api.jobsOn(port).isEmpty());
        }

        for (Map.Entry<String, SimulatedStm32> entry : boards.entrySet()) {
            String port = entry.getKey();
            SimulatedStm32 board = entry.getValue();
            Job job = awaitFinished(port, 1);
            assertThat(job.state()).as("job on %s: %s", port, job).isEqualTo("PASSED");
            assertThat(job.usbSerial()).isEqualTo(board.serialNumber());
            for (Segment segment : blinky.segments()) {
                assertThat(board.memory(segment.address(), segment.length()))
                        .as("flash of the board on %s at 0x%08x", port, segment.address())
                        .isEqualTo(segment.data());
            }
            assertThat(board.violations()).as("protocol violations on %s", port).isEmpty();
            assertThat(board.presence()).as("the board on %s runs its application", port)
                    .isEqualTo(SimulatedStm32.Presence.APPLICATION);
            assertThat(board.lastJump()).isPresent();
        }
        assertThat(api.auditTypes()).filteredOn("JOB_PASSED"::equals).hasSizeGreaterThanOrEqualTo(ports.size());
        assertThat(api.ports()).extracting(Port::path).as("only ST bootloaders are ports")
                .doesNotContain(OTHER_DEVICE_PORT);
    }

    @Test
    void aBoardLostInTheMiddleOfWritingFailsWithDeviceGoneAndTheNextBoardOnThatPortPasses() {
        String port = "1-4";
        api.assignRecipe(port, largeRecipe);
        long dropAt = FLASH + 96 * 1024;
        SimulatedStm32 lost = board(200, port, FaultPlan.none().disconnectOnWrite(dropAt));
        bridge.plugBoard(port, lost);

        Job failed = awaitFinished(port, 1);
        assertThat(failed.state()).as("%s", failed).isEqualTo("FAILED");
        assertThat(failed.errorCode()).isEqualTo("DEVICE_GONE");
        assertThat(failed.phase()).isEqualTo("WRITE");
        assertThat(failed.bytesDone()).as("bytes written before the board vanished")
                .isPositive().isLessThan(largeImage.length);
        assertThat(lost.faults().fired()).hasSize(1);
        assertThat(lost.presence()).isEqualTo(SimulatedStm32.Presence.UNPLUGGED);
        assertThat(lost.violations()).isEmpty();

        // The operator puts the next board on the nest once the service saw the old one go.
        await("port " + port + " empty").atMost(JOB_LIMIT).pollInterval(POLL)
                .until(() -> !bridge.pluggedPorts().contains(port) && api.port(port).state().equals("EMPTY"));
        SimulatedStm32 next = board(201, port, FaultPlan.none());
        bridge.plugBoard(port, next);

        Job passed = awaitFinished(port, 2);
        assertThat(passed.state()).as("%s", passed).isEqualTo("PASSED");
        assertThat(passed.usbSerial()).isEqualTo(next.serialNumber()).isNotEqualTo(lost.serialNumber());
        assertThat(next.memory(FLASH, largeImage.length)).isEqualTo(largeImage);
        assertThat(next.violations()).isEmpty();
    }

    @Test
    void aBoardThatResetsIntoTheBootloaderAfterLeaveIsFlashedOnceAndHeldForRemoval() {
        String port = "1-5";
        api.assignRecipe(port, resettingRecipe);
        SimulatedStm32 board = board(300, port, FaultPlan.none());
        bridge.plugBoard(port, board);

        Job job = awaitFinished(port, 1);
        assertThat(job.state()).as("%s", job).isEqualTo("PASSED");
        assertThat(board.memory(FLASH, resettingImage.length)).isEqualTo(resettingImage);

        await("port " + port + " waiting for removal").atMost(JOB_LIMIT).pollInterval(POLL)
                .until(() -> api.port(port).state().equals("DONE_WAITING_REMOVAL"));
        Port held = api.port(port);
        assertThat(held.reason()).contains("passed job " + job.id(), "came back without being removed");
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.BOOTLOADER);
        assertThat(board.enumerationCount()).as("enumerated at plug-in and once after Leave").isEqualTo(2);
        // Several rescans of the bus pass while the board sits there: still one job, still held.
        await("no second job on " + port).during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .pollInterval(POLL)
                .until(() -> api.jobsOn(port).size() == 1 && api.port(port).state().equals("DONE_WAITING_REMOVAL"));
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aReadProtectedBoardIsUnprotectedThroughItsResetAndFlashedInOneJob() {
        String port = "1-6";
        api.assignRecipe(port, unprotectRecipe);
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).seed(400).portPath(port)
                .readProtected(true).build();
        bridge.plugBoard(port, board);

        Job job = awaitFinished(port, 1);
        assertThat(job.state()).as("%s", job).isEqualTo("PASSED");
        assertThat(job.phases()).containsExactly("CONNECT", "IDENTIFY", "UNPROTECT", "ERASE", "WRITE", "VERIFY",
                "LEAVE");
        assertThat(board.readProtected()).isFalse();
        assertThat(board.memory(FLASH, largeImage.length)).isEqualTo(largeImage);
        assertThat(board.enumerationCount()).as("plugged, then back after the unprotect reset").isEqualTo(2);
        assertOneJobWhileTheBoardSitsThere(port);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void optionBytesAreWrittenAfterVerifyThroughTheirResetInOneJob() {
        String port = "1-7";
        api.assignRecipe(port, optionBytesRecipe);
        SimulatedStm32 board = board(500, port, FaultPlan.none());
        bridge.plugBoard(port, board);

        Job job = awaitFinished(port, 1);
        assertThat(job.state()).as("%s", job).isEqualTo("PASSED");
        assertThat(job.phases()).containsExactly("CONNECT", "IDENTIFY", "ERASE", "WRITE", "VERIFY", "OPTION_BYTES",
                "LEAVE");
        ChipProfile.OptionBlock defaults = ChipProfile.STM32F407.optionBytes().first();
        assertThat(board.memory(defaults.base(), optionBytes.length)).isEqualTo(optionBytes);
        assertThat(board.memory(FLASH, largeImage.length)).isEqualTo(largeImage);
        assertThat(board.presence()).isEqualTo(SimulatedStm32.Presence.APPLICATION);
        assertOneJobWhileTheBoardSitsThere(port);
        assertThat(board.violations()).isEmpty();
    }

    @Test
    void aBoardLiftedOffWhileItsUnprotectResetsItFailsWithDeviceNotBackAndThePortEmpties() {
        String port = "1-8";
        api.assignRecipe(port, unprotectRecipe);
        SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).seed(600).portPath(port)
                .readProtected(true).build();
        board.addListener(new SimulatedStm32.Listener() {
            @Override
            public void disconnected(DisconnectReason reason) {
                if (reason == DisconnectReason.READ_UNPROTECT) {
                    board.unplug(); // it never enumerates on the port again
                }
            }
        });
        bridge.plugBoard(port, board);

        Job job = awaitFinished(port, 1);
        assertThat(job.state()).as("%s", job).isEqualTo("FAILED");
        assertThat(job.errorCode()).isEqualTo("DEVICE_NOT_BACK");
        assertThat(job.phase()).isEqualTo("UNPROTECT");
        await("port " + port + " empty").atMost(JOB_LIMIT).pollInterval(POLL)
                .until(() -> api.port(port).state().equals("EMPTY"));
        assertThat(api.jobsOn(port)).hasSize(1);
    }

    /** Several rescans of the bus pass after the job: nothing queues a second job for the same board. */
    private void assertOneJobWhileTheBoardSitsThere(String port) {
        await("no second job on " + port).during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .pollInterval(POLL).until(() -> api.jobsOn(port).size() == 1);
    }

    /** Waits until the port has {@code count} jobs and the newest is final; returns it. */
    private Job awaitFinished(String port, int count) {
        List<Job> seen = new ArrayList<>();
        try {
            await("job " + count + " on " + port + " finished").atMost(JOB_LIMIT).pollInterval(POLL).until(() -> {
                List<Job> jobs = api.jobsOn(port);
                seen.clear();
                seen.addAll(jobs);
                return jobs.size() >= count && jobs.get(0).finished();
            });
        } catch (RuntimeException e) {
            throw new AssertionError("jobs on " + port + ": " + seen + "\nports: " + api.ports()
                    + "\n--- service log tail ---\n" + service.logTail(80)
                    + "\n--- bridge stderr tail ---\n" + bridge.stderrTail(), e);
        }
        assertThat(seen).as("jobs on %s", port).hasSize(count);
        return seen.get(0);
    }

    private static SimulatedStm32 board(long seed, String port, FaultPlan faults) {
        return SimulatedStm32.builder(ChipProfile.STM32F407).seed(seed).portPath(port).faults(faults).build();
    }

    /** Random code behind a vector table that the ROM accepts (stack in SRAM, reset handler in flash). */
    private static byte[] applicationImage(int size, long seed) {
        byte[] image = new byte[size];
        new Random(seed).nextBytes(image);
        ByteBuffer vectors = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        vectors.putInt(0, (int) (ChipProfile.STM32F407.ram().region().base() + 0x1000));
        vectors.putInt(4, (int) (FLASH + 0x200 + 1));
        return image;
    }

    private static byte[] intelHex(byte[] image) {
        return TestFirmwareWriters.intelHex(List.of(new Segment(FLASH, image)), 32, false, false);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = UsbStationIT.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " missing");
            }
            return in.readAllBytes();
        }
    }
}
