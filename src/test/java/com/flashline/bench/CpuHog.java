package com.flashline.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench.hog=N}: N separate processes that each spin one thread for as long as a benchmark
 * runs, so that the service has N cores fewer, as on a machine whose cores are slower or taken by
 * something else. Each is a small {@code java} running {@link #main} from this class path (no
 * shell loop, so that it stops by itself): it spins until its deadline or until the launcher that
 * started it is gone, whichever comes first, so that no hog outlives a benchmark that was killed.
 * Not pinned to a core: the kernel's scheduler gives a single spinning thread up to one core
 * against the service's many mostly sleeping threads, which is what "one core taken" means.
 *
 * <p>What a hog really took is reported ({@link #cpuPercentOfOneCore}): its CPU seconds over the
 * benchmark's wall time, per hog; about 100 % when it held its core for the whole run.
 */
final class CpuHog implements AutoCloseable {

    /** Spinning longer than a benchmark can last is never wanted; the launcher normally stops it far earlier. */
    static final long MAX_SECONDS = TimeUnit.HOURS.toSeconds(3);

    private final List<Process> processes;
    private final long startNanos = System.nanoTime();

    private CpuHog(List<Process> processes) {
        this.processes = processes;
    }

    /** Starts {@code cores} hogs (none for 0) and waits until each spins. */
    static CpuHog start(int cores) throws IOException {
        List<Process> started = new ArrayList<>();
        for (int i = 0; i < cores; i++) {
            Process hog = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx16m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    CpuHog.class.getName(), Long.toString(MAX_SECONDS), Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            started.add(hog);
        }
        return new CpuHog(started);
    }

    int cores() {
        return processes.size();
    }

    /** CPU the hogs used since they started, per hog, as a percentage of one core over the same wall time. */
    double cpuPercentOfOneCore() {
        if (processes.isEmpty()) {
            return 0;
        }
        double wall = (System.nanoTime() - startNanos) / 1e9;
        double cpu = 0;
        for (Process hog : processes) {
            cpu += cpuSeconds(hog.pid());
        }
        return wall <= 0 ? 0 : 100 * cpu / processes.size() / wall;
    }

    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) ServiceProcess.CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process hog : processes) {
            hog.destroy();
        }
        for (Process hog : processes) {
            if (!hog.waitFor(10, TimeUnit.SECONDS)) {
                hog.destroyForcibly();
            }
        }
    }

    /** The hog itself: {@code CpuHog <maxSeconds> <launcher pid>}. */
    public static void main(String[] args) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[0]));
        ProcessHandle launcher = ProcessHandle.of(Long.parseLong(args[1])).orElse(null);
        long spins = 0;
        long x = 1;
        while (System.nanoTime() < deadline) {
            // Pure arithmetic, no allocation, no system call: a thread that is always runnable.
            for (int i = 0; i < 1_000_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            if (++spins % 100 == 0 && (launcher == null || !launcher.isAlive())) {
                break;
            }
        }
        if (x == 42) {
            // Keeps the loop's result alive so that the compiler cannot drop the loop.
            System.out.println(x + File.separator);
        }
    }
}
