package com.flashline.usb.emulation;

import com.flashline.dfu.ControlSetup;
import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.usb.DeviceListener;
import com.flashline.usb.UsbDeviceWatcher;
import com.flashline.usb.UsbDfuTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The libusb client of the bridge tests, run in a child JVM started with the bridge's environment
 * (the test JVM itself has no umockdev preload). Runs a {@link UsbDeviceWatcher}, prints what it
 * reports, and executes one command per stdin line through {@link UsbDfuTransport}, printing one
 * result line each:
 * <pre>
 * open PORT | close PORT | alt PORT N | getstatus PORT | getstate PORT
 * upload PORT BLOCK LENGTH | dnload PORT BLOCK HEX | abort PORT | timeout MILLIS | quit
 * </pre>
 * Output lines: {@code status UP|DOWN hotplug=B reason}, {@code arrived PORT VID:PID BCD serial=S},
 * {@code removed PORT}, {@code ok COMMAND PORT [DATA]}, {@code error COMMAND PORT EXCEPTION MESSAGE}.
 */
public final class UsbProbeMain {

    private static final HexFormat HEX = HexFormat.of();

    private UsbProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        Duration rescan = Duration.ofMillis(args.length > 0 ? Long.parseLong(args[0]) : 2000);
        UsbDeviceWatcher watcher = UsbDeviceWatcher.start(
                new UsbDeviceWatcher.Settings(UsbDeviceInfo.ST_VENDOR_ID, UsbDeviceInfo.ST_DFU_PRODUCT_ID, rescan),
                new DeviceListener() {
                    @Override
                    public void arrived(UsbDeviceInfo info) {
                        say("arrived " + info.portPath() + " " + info.vidPid() + " " + String.format("%04x", info.bcdDevice())
                                + " serial=" + info.serialNumber() + " product=" + info.product());
                    }

                    @Override
                    public void removed(String portPath) {
                        say("removed " + portPath);
                    }
                });
        say("status " + watcher.status().state() + " hotplug=" + watcher.hotplugSupported() + " " + watcher.status().reason());
        Map<String, UsbDfuTransport> open = new HashMap<>();
        Duration timeout = Duration.ofSeconds(5);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            String command = w[0];
            String port = w.length > 1 ? w[1] : "-";
            try {
                switch (command) {
                    case "quit" -> {
                        open.values().forEach(UsbDfuTransport::close);
                        watcher.close();
                        long usbThreads = Thread.getAllStackTraces().keySet().stream()
                                .filter(t -> t.isAlive() && t.getName().startsWith("usb-")).count();
                        say("bye " + watcher.status().state() + " usbThreads=" + usbThreads);
                        return;
                    }
                    case "timeout" -> {
                        timeout = Duration.ofMillis(Long.parseLong(w[1]));
                        say("ok timeout " + w[1]);
                    }
                    case "open" -> {
                        UsbDfuTransport t = watcher.open(port);
                        open.put(port, t);
                        say("ok open " + port + " serial=" + t.deviceInfo().serialNumber()
                                + " transfer=" + t.functionalDescriptor().transferSize()
                                + " alts=" + t.altSettings().stream().map(DfuAltSetting::name)
                                        .collect(Collectors.joining("|")));
                    }
                    case "close" -> {
                        open.remove(port).close();
                        say("ok close " + port);
                    }
                    case "alt" -> {
                        open.get(port).selectAltSetting(Integer.parseInt(w[2]));
                        say("ok alt " + port);
                    }
                    case "getstatus", "getstate" -> {
                        DfuRequest r = command.equals("getstatus") ? DfuRequest.GETSTATUS : DfuRequest.GETSTATE;
                        int length = r == DfuRequest.GETSTATUS ? DfuRequest.STATUS_LENGTH : DfuRequest.STATE_LENGTH;
                        say("ok " + command + " " + port + " " + HEX.formatHex(open.get(port).controlIn(setup(open.get(port), r, 0, length), timeout)));
                    }
                    case "upload" -> {
                        UsbDfuTransport t = open.get(port);
                        byte[] data = t.controlIn(setup(t, DfuRequest.UPLOAD, Integer.parseInt(w[2]), Integer.parseInt(w[3])), timeout);
                        say("ok upload " + port + " " + HEX.formatHex(data));
                    }
                    case "abort" -> {
                        UsbDfuTransport t = open.get(port);
                        t.controlOut(setup(t, DfuRequest.ABORT, 0, 0), new byte[0], timeout);
                        say("ok abort " + port);
                    }
                    case "dnload" -> {
                        UsbDfuTransport t = open.get(port);
                        byte[] data = w.length > 3 ? HEX.parseHex(w[3]) : new byte[0];
                        t.controlOut(setup(t, DfuRequest.DNLOAD, Integer.parseInt(w[2]), data.length), data, timeout);
                        say("ok dnload " + port);
                    }
                    default -> say("error " + command + " " + port + " IllegalArgumentException unknown command");
                }
            } catch (RuntimeException e) {
                e.printStackTrace();
                say("error " + command + " " + port + " " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
        watcher.close();
    }

    private static ControlSetup setup(UsbDfuTransport t, DfuRequest request, int wValue, int wLength) {
        return request.setup(wValue, t.interfaceNumber(), wLength);
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
