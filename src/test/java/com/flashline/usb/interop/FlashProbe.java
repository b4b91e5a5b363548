package com.flashline.usb.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@link FlashProbeMain} in a child JVM with this JVM's class path and the bridge's environment. */
final class FlashProbe {

    private FlashProbe() {
    }

    static CommandRun run(Map<String, String> bridgeEnvironment, String port, String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx96m", "-XX:TieredStopAtLevel=1",
                FlashProbeMain.class.getName(), port));
        command.addAll(List.of(arguments));
        return CommandRun.run(command, bridgeEnvironment);
    }

    static CommandRun flash(Map<String, String> environment, String port, Path file, String... flags) {
        List<String> args = new ArrayList<>(List.of("flash", file.toString()));
        args.addAll(List.of(flags));
        return run(environment, port, args.toArray(String[]::new));
    }

    static CommandRun read(Map<String, String> environment, String port, long address, int length, Path out) {
        return run(environment, port, "read", "0x" + Long.toHexString(address), Integer.toString(length), out.toString());
    }
}
