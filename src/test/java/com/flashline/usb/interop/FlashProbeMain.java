package com.flashline.usb.interop;

import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuException;
import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.DfuSeDevice;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.TransferProgress;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.ReadOptions;
import com.flashline.firmware.Segment;
import com.flashline.flashing.ChipCatalog;
import com.flashline.flashing.DeviceConnector;
import com.flashline.flashing.EraseMode;
import com.flashline.flashing.FlashFailure;
import com.flashline.flashing.FlashPipeline;
import com.flashline.flashing.FlashReport;
import com.flashline.flashing.FlashRequest;
import com.flashline.rom.PollPolicyChoice;
import com.flashline.rom.RomTable;
import com.flashline.usb.DeviceListener;
import com.flashline.usb.UsbDeviceWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * FlashLine's real USB path as a one-shot command for interoperability tests, run in a child JVM
 * started with the umockdev bridge's environment (see {@link FlashProbe}):
 * <pre>
 * PORT flash FILE [leave] [mass-erase] [alt=N] [spec-literal]   FlashPipeline.run: erase, write, verify
 *                                      (and leave), each ROM polled as the ROM table says (spec-literal:
 *                                      as DFU 1.1 says); alt=N keeps only the DfuSe targets of alt N,
 *                                      like dfu-util -a N
 * PORT read ADDR LENGTH OUT              DfuSeDevice.read of LENGTH bytes at ADDR into the file OUT
 * </pre>
 * {@code FILE} is read by {@link FirmwareReader}; a raw binary loads at the flash start. The last
 * stdout line is {@code result ok ...} (exit 0) or {@code result error CODE message} (exit 1).
 */
public final class FlashProbeMain {

    /** How long to wait for the board to appear on its port after libusb starts. */
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(20);

    private FlashProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage("missing arguments");
        }
        String port = args[0];
        PortConnector connector = new PortConnector(port);
        int exit;
        try (UsbDeviceWatcher watcher = UsbDeviceWatcher.start(new UsbDeviceWatcher.Settings(
                UsbDeviceInfo.ST_VENDOR_ID, UsbDeviceInfo.ST_DFU_PRODUCT_ID, Duration.ofSeconds(2)), connector)) {
            connector.watcher = watcher;
            exit = switch (args[1]) {
                case "flash" -> flash(connector, args);
                case "read" -> read(connector, args);
                default -> usage("unknown subcommand " + args[1]);
            };
        }
        System.out.flush();
        System.exit(exit);
    }

    private static int flash(PortConnector connector, String[] args) throws Exception {
        if (args.length < 3) {
            return usage("flash needs FILE");
        }
        List<String> flags = List.of(args).subList(3, args.length);
        FirmwareImage image = FirmwareReader.read(Path.of(args[2]),
                ReadOptions.defaults().withBaseAddress(DfuSeDevice.DEFAULT_FLASH_START));
        for (String flag : flags) {
            if (flag.startsWith("alt=")) {
                image = onlyAlt(image, Integer.parseInt(flag.substring(4)));
            }
        }
        FlashRequest request = new FlashRequest(image,
                flags.contains("mass-erase") ? EraseMode.MASS : EraseMode.SECTORS, null, null, false,
                flags.contains("leave"));
        // Polled as the station polls: as the ROM behaviour table says, unless spec-literal is asked for.
        PollPolicyChoice policy = flags.contains("spec-literal") ? PollPolicyChoice.SPEC_LITERAL : PollPolicyChoice.ROM_TABLE;
        FlashPipeline pipeline = new FlashPipeline(DfuClock.SYSTEM, DfuOptions.DEFAULTS.withPollPolicies(
                RomTable.standard().pollPolicies(policy, Map.of())), ChipCatalog.standard());
        try {
            FlashReport report = pipeline.run(request, connector, null, () -> false);
            say(String.format(Locale.ROOT, "result ok flash erased=%d written=%d verified=%d leave=%s policy=%s",
                    report.bytesErased(), report.bytesWritten(), report.bytesVerified(), report.leave(),
                    report.pollPolicy()));
            return 0;
        } catch (FlashFailure failure) {
            say("result error " + failure.code() + " " + failure.phase() + ": " + failure.getMessage());
            return 1;
        }
    }

    /**
     * The segments of a DfuSe image meant for one alternate setting (and those without one), as
     * {@code dfu-util -a N} downloads only the targets of alt N.
     */
    private static FirmwareImage onlyAlt(FirmwareImage image, int alt) {
        List<Segment> kept = image.segments().stream()
                .filter(s -> s.alternateSetting().isEmpty() || s.alternateSetting().getAsInt() == alt).toList();
        return new FirmwareImage(image.format(), kept, image.entryPoint(), image.fileSha256(),
                FirmwareReader.contentSha256(kept), image.dfuSuffix());
    }

    private static int read(PortConnector connector, String[] args) throws Exception {
        if (args.length != 5) {
            return usage("read needs ADDR LENGTH OUT");
        }
        long address = Long.decode(args[2]);
        int length = Integer.decode(args[3]);
        byte[] data = new byte[length];
        try (DfuTransport transport = connector.connect(ARRIVAL_TIMEOUT)) {
            DfuSeDevice device = new DfuSeDevice(transport, DfuClock.SYSTEM, DfuOptions.DEFAULTS);
            device.read(address, data, 0, length, TransferProgress.NONE);
            // Leave the ROM in dfuIDLE, as a well-behaved host would for the next client.
            device.abort();
            Files.write(Path.of(args[4]), data);
            say("result ok read " + length + " transfers=" + device.statistics());
            return 0;
        } catch (DfuException e) {
            say("result error " + e.getClass().getSimpleName() + " " + e.getMessage());
            return 1;
        }
    }

    private static int usage(String problem) {
        say("result error USAGE " + problem
                + " (PORT flash FILE [leave] [mass-erase] [alt=N] [spec-literal] | PORT read ADDR LENGTH OUT)");
        return 2;
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Opens the board on one port once the watcher has seen it there. */
    private static final class PortConnector implements DeviceConnector, DeviceListener {
        private final String port;
        private boolean present;
        private volatile UsbDeviceWatcher watcher;

        PortConnector(String port) {
            this.port = port;
        }

        @Override
        public synchronized void arrived(UsbDeviceInfo info) {
            if (port.equals(info.portPath())) {
                present = true;
                notifyAll();
            }
        }

        @Override
        public synchronized void removed(String portPath) {
            if (port.equals(portPath)) {
                present = false;
            }
        }

        @Override
        public DfuTransport connect(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (this) {
                while (!present) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new DeviceGoneException("no DFU device appeared on port " + port + " within " + timeout, null);
                    }
                    try {
                        wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new DeviceGoneException("interrupted waiting for port " + port, null);
                    }
                }
            }
            return watcher.open(port);
        }
    }
}
