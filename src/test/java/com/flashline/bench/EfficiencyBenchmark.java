package com.flashline.bench;

import com.flashline.bench.FlashBenchBoards.BoardKind;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.Sector;
import com.flashline.dfu.VirtualClock;
import com.flashline.firmware.FirmwareImage;
import com.flashline.flashing.FlashListener;
import com.flashline.flashing.FlashReport;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import com.flashline.sim.TimingModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code efficiency}: wall time of whole jobs ({@code FlashPipeline.run}: connect, identify, erase,
 * write, verify, leave) on a simulated STM32F407 with datasheet timing on the system clock, divided
 * by {@link ModelBound}, the least time any protocol-abiding host could need under the same timing
 * model. Target: at most 1.05. The simulator's protocol-violation count must be 0 (else the
 * benchmark fails). Also reported, as information: the same job on a virtual clock (the model time
 * of the requests FlashLine actually sends, without Java or OS overhead) and the ratio to the bound
 * without bwPollTimeout's whole-millisecond rounding.
 *
 * <p>The host runs on {@link DfuClock#SYSTEM}; the simulated board on a {@link SpinTailClock}
 * (environment BENCH_EFFICIENCY_BOARD_CLOCK=system puts it on the system clock too).
 */
public final class EfficiencyBenchmark implements Benchmark {

    static final double TARGET_RATIO = 1.05;
    /**
     * Datasheet timing, not scaled down: at 0.1 a Full-Speed transfer would last 0.1 ms, the order of
     * the Linux timer slack every sleep pays, so the benchmark would measure the kernel's timer
     * rather than the host. Override with the environment variable BENCH_EFFICIENCY_SCALE.
     */
    static final double DEFAULT_TIME_SCALE = 1.0;

    @Override
    public String name() {
        return "efficiency";
    }

    @Override
    public String description() {
        return "F407 jobs on the system clock against the timing model's lower bound (64 KiB, 360 KiB, 1 MiB; "
                + "erased and used boards)";
    }

    @Override
    public List<BenchResult> run() {
        double scale = timeScale();
        SimOptions options = SimOptions.realistic().withTimeScale(scale);
        warmUp();
        // One job with real waits, so the timed paths (polling, parking) are compiled too.
        FlashBenchBoards.flash(DfuClock.SYSTEM, FlashBenchBoards.board(BoardKind.USED, options, DfuClock.SYSTEM),
                FlashBenchBoards.image(FlashBenchBoards.IMAGE_SIZES[0]), FlashListener.NONE);
        DfuClock boardClock = "system".equals(System.getenv("BENCH_EFFICIENCY_BOARD_CLOCK")) ? DfuClock.SYSTEM
                : new SpinTailClock();
        List<BenchResult> results = new ArrayList<>();
        int repetitions = repetitions();
        results.add(BenchResult.info(name(), "timeScale", scale, "x datasheet"));
        results.add(BenchResult.info(name(), "repetitions", repetitions, "jobs per case (fastest kept)"));
        System.out.println("  time scale " + scale + ", host clock " + DfuClock.SYSTEM + ", board clock " + boardClock);
        long violations = 0;
        for (int size : FlashBenchBoards.IMAGE_SIZES) {
            FirmwareImage image = FlashBenchBoards.image(size);
            for (BoardKind kind : BoardKind.values()) {
                String key = FlashBenchBoards.sizeLabel(size) + "." + kind.label();

                Duration wall = null;
                FlashReport report = null;
                SimulatedStm32 board = null;
                for (int attempt = 0; attempt < repetitions; attempt++) {
                    board = FlashBenchBoards.board(kind, options, boardClock);
                    System.gc(); // not inside the timed job
                    long started = System.nanoTime();
                    report = FlashBenchBoards.flash(DfuClock.SYSTEM, board, image, FlashListener.NONE);
                    Duration took = Duration.ofNanos(System.nanoTime() - started);
                    violations += board.violations().size();
                    wall = wall == null || took.compareTo(wall) < 0 ? took : wall;
                }

                VirtualClock virtual = new VirtualClock();
                SimulatedStm32 twin = FlashBenchBoards.board(kind, options, virtual);
                FlashBenchBoards.flash(virtual, twin, image, FlashListener.NONE);
                Duration modelOfOurs = virtual.elapsed();

                TimingModel model = board.timing();
                List<Sector> touched = board.flashSectors().stream().filter(s -> s.start() < FlashBenchBoards.FLASH + size)
                        .toList();
                int transferSize = FlashBenchBoards.PROFILE.transferSize();
                Duration bound = new ModelBound(model, transferSize, true)
                        .of(size, touched, board.flashSectors(), kind == BoardKind.ERASED);
                Duration unrounded = new ModelBound(model, transferSize, false)
                        .of(size, touched, board.flashSectors(), kind == BoardKind.ERASED);

                double ratio = (double) wall.toNanos() / bound.toNanos();
                System.out.printf(Locale.ROOT, "  %-14s wall %8.1f ms  ours-in-model %8.1f ms  bound %8.1f ms  "
                        + "(unrounded %8.1f ms)  ratio %.4f  erased %d written %d verified %d%n", key,
                        ms(wall), ms(modelOfOurs), ms(bound), ms(unrounded), ratio, report.bytesErased(),
                        report.bytesWritten(), report.bytesVerified());
                results.add(BenchResult.atMost(name(), key + ".ratio", ratio, "x bound", TARGET_RATIO));
                results.add(BenchResult.info(name(), key + ".wall", ms(wall), "ms"));
                results.add(BenchResult.info(name(), key + ".bound", ms(bound), "ms"));
                results.add(BenchResult.info(name(), key + ".oursInModel", ms(modelOfOurs), "ms"));
                results.add(BenchResult.info(name(), key + ".ratioOursInModel",
                        (double) modelOfOurs.toNanos() / bound.toNanos(), "x bound"));
                results.add(BenchResult.info(name(), key + ".ratioUnroundedBound",
                        (double) wall.toNanos() / unrounded.toNanos(), "x bound"));
                results.add(BenchResult.info(name(), key + ".bytesErased", report.bytesErased(), "B"));
            }
        }
        results.add(BenchResult.atMost(name(), "violations", violations, "count", 0));
        return results;
    }

    /** Instant boards first, so the JIT has compiled the engine before anything is timed. */
    private static void warmUp() {
        for (int i = 0; i < 3; i++) {
            for (BoardKind kind : BoardKind.values()) {
                SimulatedStm32 board = FlashBenchBoards.board(kind, SimOptions.defaults(), DfuClock.SYSTEM);
                FlashBenchBoards.flash(DfuClock.SYSTEM, board, FlashBenchBoards.image(1024 * 1024), FlashListener.NONE);
            }
        }
    }

    /** Every case runs this many times and the fastest job counts (the machine is shared). */
    private static int repetitions() {
        String env = System.getenv("BENCH_EFFICIENCY_REPEAT");
        return env == null || env.isBlank() ? 2 : Integer.parseInt(env.strip());
    }

    private static double timeScale() {
        String env = System.getenv("BENCH_EFFICIENCY_SCALE");
        return env == null || env.isBlank() ? DEFAULT_TIME_SCALE : Double.parseDouble(env.strip());
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
