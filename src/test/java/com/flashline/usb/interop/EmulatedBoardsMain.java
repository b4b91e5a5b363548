package com.flashline.usb.interop;

import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimOptions.BlockAddressing;
import com.flashline.sim.SimulatedStm32;
import com.flashline.usb.emulation.RequestLog;
import com.flashline.usb.emulation.UmockdevBridge;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Emulated F407 bootloaders for a session by hand (see docs/testing.md): run from the project
 * directory with the test class path, arguments {@code PORT[:REQUEST_LENGTH|TRANSFER_SIZE]...}.
 * Prints the {@code export} line for other shells, then one line per command on stdin:
 * {@code log PORT} (the requests the board received), {@code violations PORT},
 * {@code replug PORT} (reset into the bootloader after a leave), {@code quit}.
 */
public final class EmulatedBoardsMain {

    private EmulatedBoardsMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: EmulatedBoardsMain PORT[:REQUEST_LENGTH|TRANSFER_SIZE]...   e.g. 1-3 1-4:TRANSFER_SIZE");
            System.exit(2);
        }
        UmockdevBridge.unavailableReason().ifPresent(reason -> {
            System.err.println("umockdev bridge unavailable: " + reason);
            System.exit(2);
        });
        Map<String, SimulatedStm32> boards = new LinkedHashMap<>();
        Map<String, RequestLog> logs = new LinkedHashMap<>();
        try (UmockdevBridge bridge = UmockdevBridge.start()) {
            long seed = 1;
            for (String arg : args) {
                String[] parts = arg.split(":", 2);
                BlockAddressing addressing = parts.length > 1
                        ? BlockAddressing.valueOf(parts[1].toUpperCase(Locale.ROOT)) : BlockAddressing.REQUEST_LENGTH;
                SimulatedStm32 board = SimulatedStm32.builder(ChipProfile.STM32F407).seed(seed++)
                        .options(SimOptions.defaults().withTimeScale(0).withBlockAddressing(addressing)).build();
                RequestLog log = new RequestLog();
                bridge.plugBoard(parts[0], board, log);
                boards.put(parts[0], board);
                logs.put(parts[0], log);
                System.out.println("plugged " + parts[0] + " serial=" + board.serialNumber() + " " + addressing);
            }
            Map<String, String> env = bridge.environment();
            System.out.println("export UMOCKDEV_DIR=" + env.get("UMOCKDEV_DIR") + " LD_PRELOAD=" + env.get("LD_PRELOAD"));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.isBlank() && !line.trim().equals("quit")) {
                String[] w = line.trim().split("\\s+");
                SimulatedStm32 board = w.length > 1 ? boards.get(w[1]) : null;
                if (board == null) {
                    System.out.println("no board on port " + (w.length > 1 ? w[1] : "(none given)"));
                    continue;
                }
                switch (w[0]) {
                    case "log" -> logs.get(w[1]).entries().forEach(System.out::println);
                    case "violations" -> System.out.println(board.violations());
                    case "replug" -> board.plugIn();
                    default -> System.out.println("commands: log PORT | violations PORT | replug PORT | quit");
                }
            }
        }
    }
}
