package com.flashline.bench;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.DfuSeDevice;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.ReadOptions;
import com.flashline.flashing.ChipCatalog;
import com.flashline.flashing.DeviceConnector;
import com.flashline.flashing.EraseMode;
import com.flashline.flashing.FlashFailure;
import com.flashline.flashing.FlashPipeline;
import com.flashline.flashing.FlashReport;
import com.flashline.flashing.FlashRequest;
import com.flashline.flashing.PhaseTiming;
import com.flashline.rom.PollPolicyChoice;
import com.flashline.rom.RomTable;
import com.flashline.usb.DeviceListener;
import com.flashline.usb.UsbDeviceWatcher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The client side of the {@code realpath} benchmark: a long-lived JVM running FlashLine's real
 * USB path (UsbDeviceWatcher → UsbDfuTransport → usb4java → libusb) against boards on an emulated
 * bus, as a station service does, so that a job pays neither JVM start-up nor class loading of the
 * first job. Started with the umockdev bridge's environment. Line protocol:
 * <pre>
 * stdout  ready                                  the watcher runs
 *         arrived PORT serial=SERIAL             the watcher saw a DFU device on PORT
 *         removed PORT
 * stdin   flash PORT SERIAL FILE POLICY          waits (untimed) until the board SERIAL is on PORT,
 *                                                then times FlashPipeline.run: erase, write, verify,
 *                                                no leave, touched sectors only, the ROM polled as
 *                                                POLICY says (ROM_TABLE or SPEC_LITERAL)
 * stdout  result ok PORT nanos=N erased=E written=W verified=V policy=P phases=CONNECT:ns,IDENTIFY:ns,...
 *         result error PORT CODE message
 * stdin   quit
 * </pre>
 * {@code FILE} is read once by {@link FirmwareReader} (a raw binary loads at the flash start) and
 * cached: a service parses firmware when it is uploaded, not per job.
 */
public final class RealPathClientMain {

    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(30);

    private RealPathClientMain() {
    }

    public static void main(String[] args) throws Exception {
        Ports ports = new Ports();
        Map<PollPolicyChoice, FlashPipeline> pipelines = new EnumMap<>(PollPolicyChoice.class);
        for (PollPolicyChoice policy : PollPolicyChoice.values()) {
            pipelines.put(policy, new FlashPipeline(DfuClock.SYSTEM, DfuOptions.DEFAULTS.withPollPolicies(
                    RomTable.standard().pollPolicies(policy, Map.of())), ChipCatalog.standard()));
        }
        Map<String, FirmwareImage> images = new HashMap<>();
        try (UsbDeviceWatcher watcher = UsbDeviceWatcher.start(new UsbDeviceWatcher.Settings(
                UsbDeviceInfo.ST_VENDOR_ID, UsbDeviceInfo.ST_DFU_PRODUCT_ID, Duration.ofSeconds(2)), ports)) {
            ports.watcher = watcher;
            say("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.strip().split(" ");
                if (words[0].equals("quit")) {
                    break;
                }
                if (words[0].equals("flash") && words.length == 5) {
                    FirmwareImage image = images.computeIfAbsent(words[3], RealPathClientMain::readImage);
                    flash(pipelines.get(PollPolicyChoice.valueOf(words[4])), ports, words[1], words[2], image);
                } else {
                    say("result error - USAGE unknown command: " + line);
                }
            }
        }
        System.out.flush();
        System.exit(0);
    }

    private static FirmwareImage readImage(String file) {
        try {
            return FirmwareReader.read(Path.of(file), ReadOptions.defaults().withBaseAddress(DfuSeDevice.DEFAULT_FLASH_START));
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read firmware " + file + ": " + e.getMessage(), e);
        }
    }

    private static void flash(FlashPipeline pipeline, Ports ports, String port, String serial, FirmwareImage image) {
        try {
            ports.awaitBoard(port, serial, ARRIVAL_TIMEOUT);
        } catch (DeviceGoneException e) {
            say("result error " + port + " NOT_ARRIVED " + e.getMessage());
            return;
        }
        FlashRequest request = new FlashRequest(image, EraseMode.SECTORS, null, null, false, false);
        DeviceConnector connector = timeout -> ports.watcher.open(port);
        long start = System.nanoTime();
        try {
            FlashReport report = pipeline.run(request, connector, null, () -> false);
            long nanos = System.nanoTime() - start;
            String phases = report.phases().stream()
                    .map((PhaseTiming p) -> p.phase() + ":" + p.duration().toNanos())
                    .collect(Collectors.joining(","));
            say(String.format(Locale.ROOT, "result ok %s nanos=%d erased=%d written=%d verified=%d policy=%s phases=%s",
                    port, nanos, report.bytesErased(), report.bytesWritten(), report.bytesVerified(),
                    report.pollPolicy(), phases));
        } catch (FlashFailure failure) {
            say("result error " + port + " " + failure.code() + " " + failure.phase() + ": " + failure.getMessage());
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Which board (by serial) is on which port, as the watcher reports it. */
    private static final class Ports implements DeviceListener {
        private final Map<String, String> serialByPort = new HashMap<>();
        private volatile UsbDeviceWatcher watcher;

        @Override
        public synchronized void arrived(UsbDeviceInfo info) {
            serialByPort.put(info.portPath(), info.serialNumber());
            say("arrived " + info.portPath() + " serial=" + info.serialNumber());
            notifyAll();
        }

        @Override
        public synchronized void removed(String portPath) {
            serialByPort.remove(portPath);
            say("removed " + portPath);
        }

        synchronized void awaitBoard(String port, String serial, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!serial.equals(serialByPort.get(port))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new DeviceGoneException("board " + serial + " did not appear on port " + port + " within "
                            + timeout + " (there: " + serialByPort.get(port) + ")", null);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DeviceGoneException("interrupted waiting for port " + port, null);
                }
            }
        }
    }
}
