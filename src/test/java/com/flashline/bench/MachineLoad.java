package com.flashline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * How much of the machine's CPU a benchmark actually had: from the aggregate {@code cpu} line of
 * {@code /proc/stat}, the share of time the hypervisor gave to other guests (steal) and the share
 * the cores were busy, between two snapshots. Wall-time results on a virtual machine mean little
 * without it: the same job took 2.7 s and 5 s here, an hour apart, with 2 % and 35 % steal.
 */
record MachineLoad(long total, long idle, long steal) {

    private static final Path STAT = Path.of("/proc/stat");

    /** A snapshot; all zero where {@code /proc/stat} cannot be read (not Linux). */
    static MachineLoad now() {
        try {
            List<String> lines = Files.readAllLines(STAT);
            long[] ticks = Arrays.stream(lines.get(0).trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
            // user nice system idle iowait irq softirq steal [guest guest_nice, already inside user and nice]
            long total = 0;
            for (int i = 0; i < Math.min(8, ticks.length); i++) {
                total += ticks[i];
            }
            return new MachineLoad(total, ticks[3] + ticks[4], ticks.length > 7 ? ticks[7] : 0);
        } catch (IOException | RuntimeException e) {
            return new MachineLoad(0, 0, 0);
        }
    }

    /** Percent of all CPU time since {@code before} that went to other guests. */
    double stealPercentSince(MachineLoad before) {
        long elapsed = total - before.total;
        return elapsed <= 0 ? 0 : 100.0 * (steal - before.steal) / elapsed;
    }

    /** Percent of all CPU time since {@code before} that this machine's cores were busy (not idle, not stolen). */
    double busyPercentSince(MachineLoad before) {
        long elapsed = total - before.total;
        return elapsed <= 0 ? 0 : 100.0 * (elapsed - (idle - before.idle) - (steal - before.steal)) / elapsed;
    }
}
