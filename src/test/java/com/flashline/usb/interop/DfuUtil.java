package com.flashline.usb.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** dfu-util and dfuse-pack (both from the dfu-util package) as found on the PATH. */
public final class DfuUtil {

    private DfuUtil() {
    }

    public static Optional<Path> find(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Why the interop tests cannot run dfu-util here, or empty. */
    public static Optional<String> unavailableReason() {
        if (find("dfu-util").isEmpty()) {
            return Optional.of("dfu-util is not installed (Debian package dfu-util)");
        }
        if (find("dfuse-pack").isEmpty()) {
            return Optional.of("dfuse-pack is not installed (Debian package dfu-util)");
        }
        return Optional.empty();
    }

    public static CommandRun run(Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(find("dfu-util").orElseThrow().toString());
        command.addAll(List.of(arguments));
        return CommandRun.run(command, environment);
    }

    /** dfuse-pack runs without the preload: it only writes a file. */
    static CommandRun dfusePack(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(find("dfuse-pack").orElseThrow().toString());
        command.addAll(List.of(arguments));
        return CommandRun.run(command, Map.of());
    }
}
