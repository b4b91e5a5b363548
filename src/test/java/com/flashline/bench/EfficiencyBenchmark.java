package com.flashline.bench;

import com.flashline.bench.FlashBenchBoards.BoardKind;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.Sector;
import com.flashline.dfu.VirtualClock;
import com.flashline.firmware.FirmwareImage;
import com.flashline.flashing.FlashListener;
import com.flashline.flashing.FlashReport;
import com.flashline.rom.PollPolicyChoice;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import com.flashline.sim.TimingModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code efficiency}: wall time of whole jobs ({@code FlashPipeline.run}: connect, identify, erase,
 * write, verify, leave) on a simulated STM32F407 in its real-ROM timing (fixed bwPollTimeouts of
 * 100 / 104 ms, a GETSTATUS held until the flash is done, x8 datasheet times) on the system clock,
 * polled as the ROM table says, divided by the physical bound ({@link ModelBound} without the
 * reported waits): datasheet erase and program at the ROM's parallelism plus the USB transfers of
 * the shortest request sequence. Target: at most 1.05. Beside it, what DFU 1.1's spec-literal
 * policy gives on the same ROM: on a virtual clock by default (its waits are the ROM's fixed
 * times, the same on every machine), on the wall too with BENCH_EFFICIENCY_SPEC_LITERAL_WALL=1.
 * The simulator's protocol-violation count must be 0 (else the benchmark fails).
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
        return "F407 jobs in real-ROM timing on the system clock against the physical bound (64 KiB, 360 KiB, 1 MiB; "
                + "erased and used boards), beside the spec-literal policy on the same ROM";
    }

    @Override
    public List<BenchResult> run() {
        double scale = timeScale();
        SimOptions options = SimOptions.realistic().withTimeScale(scale);
        warmUp();
        // One job with real waits, so the timed paths (polling, holding) are compiled too.
        FlashBenchBoards.flash(DfuClock.SYSTEM, FlashBenchBoards.board(BoardKind.USED, options, DfuClock.SYSTEM),
                FlashBenchBoards.image(FlashBenchBoards.IMAGE_SIZES[0]), FlashListener.NONE);
        DfuClock boardClock = "system".equals(System.getenv("BENCH_EFFICIENCY_BOARD_CLOCK")) ? DfuClock.SYSTEM
                : new SpinTailClock();
        boolean specLiteralOnTheWall = "1".equals(System.getenv("BENCH_EFFICIENCY_SPEC_LITERAL_WALL"));
        List<BenchResult> results = new ArrayList<>();
        int repetitions = repetitions();
        results.add(BenchResult.info(name(), "timeScale", scale, "x datasheet"));
        results.add(BenchResult.info(name(), "repetitions", repetitions, "jobs per case (fastest kept)"));
        System.out.println("  time scale " + scale + ", host clock " + DfuClock.SYSTEM + ", board clock " + boardClock
                + ", ROM timing " + options.statusTiming());
        long violations = 0;
        for (int size : FlashBenchBoards.IMAGE_SIZES) {
            FirmwareImage image = FlashBenchBoards.image(size);
            for (BoardKind kind : BoardKind.values()) {
                String key = FlashBenchBoards.sizeLabel(size) + "." + kind.label();

                Measured held = fastest(kind, options, boardClock, image, PollPolicyChoice.ROM_TABLE, repetitions);
                violations += held.violations();
                Duration heldInModel = inModel(kind, options, image, PollPolicyChoice.ROM_TABLE);
                Duration specLiteralInModel = inModel(kind, options, image, PollPolicyChoice.SPEC_LITERAL);

                TimingModel model = held.board().timing();
                List<Sector> touched = held.board().flashSectors().stream()
                        .filter(s -> s.start() < FlashBenchBoards.FLASH + size).toList();
                Duration bound = new ModelBound(model, FlashBenchBoards.PROFILE.transferSize(), false)
                        .of(size, touched, held.board().flashSectors(), kind == BoardKind.ERASED);

                double ratio = ratio(held.wall(), bound);
                System.out.printf(Locale.ROOT, "  %-14s %s wall %8.1f ms  in model %8.1f ms  spec-literal in model "
                        + "%8.1f ms  physical bound %8.1f ms  ratio %.4f (spec-literal %.3f)  erased %d written %d "
                        + "verified %d%n", key, held.report().pollPolicy(), ms(held.wall()), ms(heldInModel),
                        ms(specLiteralInModel), ms(bound), ratio, ratio(specLiteralInModel, bound),
                        held.report().bytesErased(), held.report().bytesWritten(), held.report().bytesVerified());
                results.add(BenchResult.atMost(name(), key + ".ratio", ratio, "x bound", TARGET_RATIO));
                results.add(BenchResult.info(name(), key + ".wall", ms(held.wall()), "ms"));
                results.add(BenchResult.info(name(), key + ".bound", ms(bound), "ms"));
                results.add(BenchResult.info(name(), key + ".oursInModel", ms(heldInModel), "ms"));
                results.add(BenchResult.info(name(), key + ".ratioOursInModel", ratio(heldInModel, bound), "x bound"));
                results.add(BenchResult.info(name(), key + ".specLiteral.inModel", ms(specLiteralInModel), "ms"));
                results.add(BenchResult.info(name(), key + ".specLiteral.ratioInModel",
                        ratio(specLiteralInModel, bound), "x bound"));
                if (specLiteralOnTheWall) {
                    Measured literal = fastest(kind, options, boardClock, image, PollPolicyChoice.SPEC_LITERAL, 1);
                    violations += literal.violations();
                    results.add(BenchResult.info(name(), key + ".specLiteral.wall", ms(literal.wall()), "ms"));
                    results.add(BenchResult.info(name(), key + ".specLiteral.ratio", ratio(literal.wall(), bound),
                            "x bound"));
                    System.out.printf(Locale.ROOT, "  %-14s SPEC_LITERAL wall %8.1f ms  ratio %.3f%n", key,
                            ms(literal.wall()), ratio(literal.wall(), bound));
                }
                results.add(BenchResult.info(name(), key + ".bytesErased", held.report().bytesErased(), "B"));
            }
        }
        results.add(BenchResult.atMost(name(), "violations", violations, "count", 0));
        return results;
    }

    /** The fastest of {@code repetitions} jobs on fresh boards, on the wall. */
    private static Measured fastest(BoardKind kind, SimOptions options, DfuClock boardClock, FirmwareImage image,
            PollPolicyChoice policy, int repetitions) {
        Measured best = null;
        long violations = 0;
        for (int attempt = 0; attempt < repetitions; attempt++) {
            SimulatedStm32 board = FlashBenchBoards.board(kind, options, boardClock);
            System.gc(); // not inside the timed job
            long started = System.nanoTime();
            FlashReport report = FlashBenchBoards.flash(DfuClock.SYSTEM, board, image, FlashListener.NONE, policy);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            violations += board.violations().size();
            if (best == null || took.compareTo(best.wall()) < 0) {
                best = new Measured(took, report, board, 0);
            }
        }
        return new Measured(best.wall(), best.report(), best.board(), violations);
    }

    private record Measured(Duration wall, FlashReport report, SimulatedStm32 board, long violations) {
    }

    /** The same job on a virtual clock: the model time of the requests FlashLine sends under {@code policy}. */
    private static Duration inModel(BoardKind kind, SimOptions options, FirmwareImage image, PollPolicyChoice policy) {
        VirtualClock virtual = new VirtualClock();
        SimulatedStm32 twin = FlashBenchBoards.board(kind, options, virtual);
        FlashBenchBoards.flash(virtual, twin, image, FlashListener.NONE, policy);
        return virtual.elapsed();
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

    private static double ratio(Duration measured, Duration bound) {
        return (double) measured.toNanos() / bound.toNanos();
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
