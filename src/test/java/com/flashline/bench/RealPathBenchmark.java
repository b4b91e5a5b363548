package com.flashline.bench;

import com.flashline.rom.PollPolicyChoice;
import com.flashline.sim.ChipProfile;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimOptions.BlockAddressing;
import com.flashline.sim.SimOptions.StatusTiming;
import com.flashline.sim.SimulatedStm32;
import com.flashline.usb.emulation.RequestLog;
import com.flashline.usb.emulation.UmockdevBridge;
import com.flashline.usb.interop.CommandRun;
import com.flashline.usb.interop.DfuUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * FlashLine's real USB path against dfu-util 0.11 on the same emulated STM32F407 ROM bootloader
 * (umockdev bridge, {@link SimulatedStm32}), the same 360 KiB image, alternating in one run, in two
 * sets of rounds: on a ROM with exact bwPollTimeouts and datasheet timing scaled down (FlashLine
 * honours the timeouts; target 0.8), then on the F4's real-ROM timing at datasheet speed (fixed
 * bwPollTimeouts of 100 / 104 ms, a GETSTATUS held until the flash is done, x8 times; FlashLine
 * polls as the ROM table says, dfu-util waits the reported times; target 0.40, metrics
 * {@code rom.*}). One job = erase the touched sectors, write, verify, no leave:
 * <ul>
 * <li>FlashLine: {@code FlashPipeline.run} timed inside a long-lived client JVM
 *     ({@link RealPathClientMain}), as a station service runs jobs;</li>
 * <li>dfu-util: {@code -a 0 -s 0x08000000 -D image.bin}, then {@code -a 0 -s 0x08000000:LEN -U out.bin}
 *     and a comparison of the files (its verify), each command timed from process start to exit.</li>
 * </ul>
 * Every job gets a fresh board (plugged on its side's port in place of the previous one), blank
 * as from the reel, or with {@code FLASHLINE_BENCH_REALPATH_BOARDS=used} holding another 360 KiB
 * program, so that a host that skips erasing blank sectors gains nothing.
 * Each side's board must end up holding the image and FlashLine's must log no protocol violation,
 * otherwise the benchmark fails. Environment: {@code FLASHLINE_BENCH_REALPATH_ROUNDS} (5),
 * {@code FLASHLINE_BENCH_REALPATH_WARMUP} (1 round per side, not counted),
 * {@code FLASHLINE_BENCH_REALPATH_TIMESCALE} (0.1), {@code FLASHLINE_BENCH_REALPATH_ROM_ROUNDS} (2),
 * {@code FLASHLINE_BENCH_REALPATH_ROM_TIMESCALE} (1.0), {@code FLASHLINE_BENCH_REALPATH_BOARDS}
 * ({@code blank} or {@code used}, both sets).
 */
public final class RealPathBenchmark implements Benchmark {

    static final String NAME = "realpath";
    static final int IMAGE_LENGTH = 360 * 1024;
    static final double TARGET_RATIO = 0.8;
    /** On the real-ROM run: FlashLine polls at once what dfu-util waits the ROM's fixed times for. */
    static final double ROM_TARGET_RATIO = 0.40;
    /** The metrics of the real-ROM run start with this. */
    static final String ROM_PREFIX = "rom.";
    private static final ChipProfile CHIP = ChipProfile.STM32F407;
    private static final long FLASH = CHIP.flash().base();
    private static final String FLASHLINE_PORT = "1-1";
    private static final String DFU_UTIL_PORT = "1-2";

    private enum Side {
        FLASHLINE("flashline"), DFU_UTIL("dfuutil");

        final String key;

        Side(String key) {
            this.key = key;
        }
    }

    /** One measured job. {@code parts} are FlashLine's phases or dfu-util's two commands, in nanoseconds. */
    private record Run(Side side, int round, long wallNanos, Map<String, Long> parts, RealPathTally tally,
            int violations) {
    }

    private record Board(SimulatedStm32 board, RequestLog log) {
    }

    private int nextSeed = 1000;
    private boolean usedBoards;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "FlashLine's usb4java path vs dfu-util 0.11 on an emulated F407, 360 KiB erase+write+verify";
    }

    @Override
    public List<BenchResult> run() throws Exception {
        Optional<String> missing = UmockdevBridge.unavailableReason().or(DfuUtil::unavailableReason);
        if (missing.isPresent()) {
            // Said in the results too, so that a results file without realpath figures explains itself.
            System.out.println("skipped: " + missing.get());
            return List.of(BenchResult.info(NAME, "skipped", 1, "missing umockdev or dfu-util"));
        }
        int rounds = intSetting("FLASHLINE_BENCH_REALPATH_ROUNDS", 5);
        int warmups = intSetting("FLASHLINE_BENCH_REALPATH_WARMUP", 1);
        double timeScale = Double.parseDouble(setting("FLASHLINE_BENCH_REALPATH_TIMESCALE", "0.1"));
        int romRounds = intSetting("FLASHLINE_BENCH_REALPATH_ROM_ROUNDS", 2);
        double romTimeScale = Double.parseDouble(setting("FLASHLINE_BENCH_REALPATH_ROM_TIMESCALE", "1.0"));
        String boardsSetting = setting("FLASHLINE_BENCH_REALPATH_BOARDS", "blank");
        if (!boardsSetting.equals("blank") && !boardsSetting.equals("used")) {
            throw new IllegalArgumentException("FLASHLINE_BENCH_REALPATH_BOARDS must be blank or used: " + boardsSetting);
        }
        usedBoards = boardsSetting.equals("used");
        // The exact-timing run: a ROM that reports exact bwPollTimeouts, which FlashLine honours (it
        // looks like an F4 over USB, so the table's held policy is not for it).
        Session exact = new Session("", SimOptions.realistic().withTimeScale(timeScale)
                .withStatusTiming(StatusTiming.ACCURATE).withBlockAddressing(BlockAddressing.TRANSFER_SIZE),
                PollPolicyChoice.SPEC_LITERAL, rounds, warmups, timeScale, TARGET_RATIO);
        // The real-ROM run: fixed bwPollTimeouts and a held GETSTATUS, FlashLine polling as the table says.
        Session rom = new Session(ROM_PREFIX, SimOptions.realistic().withTimeScale(romTimeScale)
                .withBlockAddressing(BlockAddressing.TRANSFER_SIZE),
                PollPolicyChoice.ROM_TABLE, romRounds, 0, romTimeScale, ROM_TARGET_RATIO);
        System.out.printf(Locale.ROOT, "rounds=%d warmup=%d timeScale=%s, real-ROM rounds=%d timeScale=%s, boards=%s "
                + "image=%d bytes%n", rounds, warmups, timeScale, romRounds, romTimeScale, boardsSetting, IMAGE_LENGTH);

        Path dir = Files.createTempDirectory("flashline-bench-realpath");
        byte[] image = image();
        Path imageFile = dir.resolve("image.bin");
        Files.write(imageFile, image);
        List<BenchResult> results = new ArrayList<>();
        try (UmockdevBridge bridge = UmockdevBridge.start()) {
            // Both ports hold a board before the client starts: a libusb client started on an
            // empty emulated bus never receives hotplug events.
            Map<Side, Board> boards = new LinkedHashMap<>();
            boards.put(Side.FLASHLINE, plugFresh(bridge, FLASHLINE_PORT, exact.options()));
            boards.put(Side.DFU_UTIL, plugFresh(bridge, DFU_UTIL_PORT, exact.options()));
            try (RealPathClient client = RealPathClient.start(bridge.environment(), dir)) {
                for (Session session : List.of(exact, rom)) {
                    List<Run> runs = measure(session, bridge, client, boards, imageFile, image, dir);
                    results.addAll(results(runs, session, usedBoards));
                }
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        return results;
    }

    /**
     * One set of rounds on boards in one timing, FlashLine polling with one policy; its metrics
     * carry {@code prefix}.
     */
    private record Session(String prefix, SimOptions options, PollPolicyChoice policy, int rounds, int warmups,
            double timeScale, double target) {
    }

    private List<Run> measure(Session session, UmockdevBridge bridge, RealPathClient client, Map<Side, Board> boards,
            Path imageFile, byte[] image, Path dir) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (int round = 1 - session.warmups(); round <= session.rounds(); round++) {
            // Alternate which side goes first, so slow drift of the machine's load hits both.
            List<Side> order = Math.floorMod(round, 2) == 0 ? List.of(Side.DFU_UTIL, Side.FLASHLINE)
                    : List.of(Side.FLASHLINE, Side.DFU_UTIL);
            for (Side side : order) {
                String port = side == Side.FLASHLINE ? FLASHLINE_PORT : DFU_UTIL_PORT;
                Board board = boards.get(side);
                if (board.log().size() > 0 || !board.board().options().equals(session.options())) {
                    board = plugFresh(bridge, port, session.options());
                    boards.put(side, board);
                }
                client.awaitArrival(port, board.board().serialNumber());
                Run run = side == Side.FLASHLINE
                        ? flashLine(client, board, imageFile, image, round, session.policy())
                        : dfuUtil(bridge, board, imageFile, image, dir, round);
                System.out.printf(Locale.ROOT, "%s%s round %d%s: %.1f ms %s transfers=%d floor=%.1f ms%n",
                        session.prefix(), side.key, round, round < 1 ? " (warm-up)" : "", run.wallNanos() / 1e6,
                        millis(run.parts()), run.tally().count("total"), run.tally().deviceFloor().toNanos() / 1e6);
                if (round >= 1) {
                    runs.add(run);
                }
            }
        }
        return runs;
    }

    private Board plugFresh(UmockdevBridge bridge, String port, SimOptions options) {
        if (bridge.pluggedPorts().contains(port)) {
            bridge.unplug(port);
        }
        SimulatedStm32.Builder builder = SimulatedStm32.builder(CHIP).options(options).seed(nextSeed++).portPath(port);
        if (usedBoards) {
            builder.content(FLASH, oldProgram());
        }
        SimulatedStm32 board = builder.build();
        RequestLog log = new RequestLog();
        bridge.plugBoard(port, board, log);
        return new Board(board, log);
    }

    private static Run flashLine(RealPathClient client, Board board, Path imageFile, byte[] image, int round,
            PollPolicyChoice policy) {
        RealPathClient.Job job = client.flash(FLASHLINE_PORT, board.board().serialNumber(), imageFile, policy);
        System.out.println("flashline polled with " + job.policy());
        requireFlashHolds(board.board(), image, "FlashLine");
        if (!board.board().violations().isEmpty()) {
            throw new IllegalStateException("FlashLine's job logged protocol violations on the simulator: "
                    + board.board().violations());
        }
        return new Run(Side.FLASHLINE, round, job.nanos(), job.phaseNanos(),
                RealPathTally.of(board.log().entries(), board.board()), 0);
    }

    private static Run dfuUtil(UmockdevBridge bridge, Board board, Path imageFile, byte[] image, Path dir, int round)
            throws IOException {
        Path out = dir.resolve("readback.bin");
        Files.deleteIfExists(out); // dfu-util -U refuses to overwrite
        Map<String, String> env = bridge.environment();
        long start = System.nanoTime();
        CommandRun download = DfuUtil.run(env, "-p", DFU_UTIL_PORT, "-a", "0", "-s", hex(FLASH), "-D", imageFile.toString());
        long downloaded = System.nanoTime();
        if (!download.succeeded()) {
            throw new IllegalStateException("dfu-util download failed: " + download);
        }
        CommandRun upload = DfuUtil.run(env, "-p", DFU_UTIL_PORT, "-a", "0", "-s", hex(FLASH) + ":" + image.length,
                "-U", out.toString());
        long uploaded = System.nanoTime();
        if (!upload.succeeded()) {
            throw new IllegalStateException("dfu-util upload failed: " + upload);
        }
        // dfu-util's verify: the file read back equals the image (a cmp, microseconds; not timed).
        byte[] readBack = Files.readAllBytes(out);
        if (!Arrays.equals(readBack, image)) {
            throw new IllegalStateException("dfu-util read back " + readBack.length + " bytes that differ from the image");
        }
        requireFlashHolds(board.board(), image, "dfu-util");
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put("download", downloaded - start);
        parts.put("upload", uploaded - downloaded);
        return new Run(Side.DFU_UTIL, round, uploaded - start, parts,
                RealPathTally.of(board.log().entries(), board.board()), board.board().violations().size());
    }

    private static void requireFlashHolds(SimulatedStm32 board, byte[] image, String who) {
        if (!Arrays.equals(board.memory(FLASH, image.length), image)) {
            throw new IllegalStateException("after " + who + "'s job the board's flash differs from the image");
        }
    }

    private static List<BenchResult> results(List<Run> runs, Session session, boolean usedBoards) {
        List<BenchResult> results = new ArrayList<>();
        String p = session.prefix();
        List<Run> flashLine = runs.stream().filter(r -> r.side() == Side.FLASHLINE).toList();
        List<Run> dfuUtil = runs.stream().filter(r -> r.side() == Side.DFU_UTIL).toList();
        double flashLineMedian = median(flashLine, r -> r.wallNanos() / 1e6);
        double dfuUtilMedian = median(dfuUtil, r -> r.wallNanos() / 1e6);
        results.add(BenchResult.atMost(NAME, p + "ratio.wallTime", flashLineMedian / dfuUtilMedian, "x",
                session.target()));
        for (List<Run> side : List.of(flashLine, dfuUtil)) {
            String key = p + side.get(0).side().key;
            results.add(BenchResult.info(NAME, key + ".job.median", median(side, r -> r.wallNanos() / 1e6), "ms"));
            results.add(BenchResult.info(NAME, key + ".job.min", side.stream().mapToDouble(r -> r.wallNanos() / 1e6).min().orElseThrow(), "ms"));
            results.add(BenchResult.info(NAME, key + ".job.max", side.stream().mapToDouble(r -> r.wallNanos() / 1e6).max().orElseThrow(), "ms"));
            for (String part : side.get(0).parts().keySet()) {
                results.add(BenchResult.info(NAME, key + ".part." + part + ".median",
                        median(side, r -> r.parts().getOrDefault(part, 0L) / 1e6), "ms"));
            }
            results.add(BenchResult.info(NAME, key + ".deviceFloor.median",
                    median(side, r -> r.tally().deviceFloor().toNanos() / 1e6), "ms"));
            // What the host and the emulated bus add to each transfer beyond the board's own time.
            results.add(BenchResult.info(NAME, key + ".overheadPerTransfer.median",
                    median(side, r -> (r.wallNanos() - r.tally().deviceFloor().toNanos()) / 1e6 / r.tally().count("total")),
                    "ms"));
            for (String kind : RealPathTally.KINDS) {
                results.add(BenchResult.info(NAME, key + ".requests." + kind,
                        side.stream().mapToLong(r -> r.tally().count(kind)).average().orElseThrow(), "transfers/job"));
            }
        }
        double flashLineTransfers = flashLine.stream().mapToLong(r -> r.tally().count("total")).average().orElseThrow();
        double dfuUtilTransfers = dfuUtil.stream().mapToLong(r -> r.tally().count("total")).average().orElseThrow();
        results.add(BenchResult.info(NAME, p + "ratio.controlTransfers", flashLineTransfers / dfuUtilTransfers, "x"));
        results.add(BenchResult.atMost(NAME, p + "flashline.violations",
                flashLine.stream().mapToInt(Run::violations).sum(), "violations", 0));
        results.add(BenchResult.info(NAME, p + "dfuutil.violations", dfuUtil.stream().mapToInt(Run::violations).sum(),
                "violations"));
        results.add(BenchResult.info(NAME, p + "rounds", session.rounds(), "rounds"));
        results.add(BenchResult.info(NAME, p + "timeScale", session.timeScale(), "x"));
        results.add(BenchResult.info(NAME, p + "boardsPreprogrammed", usedBoards ? 1 : 0, "boolean"));
        return results;
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
        double[] sorted = runs.stream().mapToDouble(value).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String millis(Map<String, Long> parts) {
        StringBuilder sb = new StringBuilder("[");
        parts.entrySet().stream().sorted(Comparator.comparing(Map.Entry::getKey, Comparator.naturalOrder()))
                .forEach(e -> sb.append(sb.length() > 1 ? " " : "").append(e.getKey()).append('=')
                        .append(String.format(Locale.ROOT, "%.1f", e.getValue() / 1e6)));
        return sb.append(']').toString();
    }

    /** A fixed pseudo-random image: no 0xFF runs for a host to skip, the same bytes every run. */
    static byte[] image() {
        byte[] image = new byte[IMAGE_LENGTH];
        new Random(0x5EA1_F407L).nextBytes(image);
        return image;
    }

    /** What a used board holds before its job: another program over the same sectors, so every one must be erased. */
    static byte[] oldProgram() {
        byte[] old = new byte[IMAGE_LENGTH];
        new Random(0x01D_F407L).nextBytes(old);
        return old;
    }

    private static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static int intSetting(String name, int fallback) {
        String value = setting(name, Integer.toString(fallback));
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0 || (parsed == 0 && name.endsWith("ROUNDS"))) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number (>= 1 for rounds, >= 0 for warm-up): " + value);
        }
    }
}
