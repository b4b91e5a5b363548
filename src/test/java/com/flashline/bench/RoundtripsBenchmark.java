package com.flashline.bench;

import com.flashline.bench.FlashBenchBoards.BoardKind;
import com.flashline.dfu.VirtualClock;
import com.flashline.firmware.FirmwareImage;
import com.flashline.flashing.FlashListener;
import com.flashline.flashing.Phase;
import com.flashline.sim.SimOptions;
import com.flashline.sim.SimulatedStm32;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code roundtrips}: control transfers per KiB during WRITE and VERIFY, counted by the simulated
 * F407 (every control transfer it received while those phases ran), against the minimum the
 * protocol needs for the same runs. Target: within 2 % of the minimum. dfu-util's count for the
 * same work is computed from its documented behaviour, not measured.
 *
 * <p>Minimum for one contiguous run of {@code b} blocks of wTransferSize: WRITE: Set Address
 * Pointer (DNLOAD + 2 GETSTATUS) then per block DNLOAD + 2 GETSTATUS (the first executes it and
 * reports dfuDNBUSY, the second its outcome) = 3 + 3b, plus one ABORT when the previous phase left
 * the device in dfuUPLOAD-IDLE (a blank check read). VERIFY: Set Address Pointer (3), ABORT
 * (dfuDNLOAD-IDLE allows no UPLOAD), one UPLOAD per block = 4 + b.
 *
 * <p>dfu-util (computed): its DfuSe download sets the address pointer before every block, so
 * 6 transfers per block; it has no verify, the nearest is a separate upload (-U) of the same range:
 * Set Address (3), ABORT + GETSTATUS to confirm dfuIDLE (2), one UPLOAD per block = 5 + b.
 *
 * <p>The boards' protocol-violation count must be 0.
 */
public final class RoundtripsBenchmark implements Benchmark {

    static final double TARGET_RATIO = 1.02;

    @Override
    public String name() {
        return "roundtrips";
    }

    @Override
    public String description() {
        return "control transfers per KiB written and verified against the protocol minimum (F407, instant board)";
    }

    @Override
    public List<BenchResult> run() {
        List<BenchResult> results = new ArrayList<>();
        int transferSize = FlashBenchBoards.PROFILE.transferSize();
        long violations = 0;
        for (int size : FlashBenchBoards.IMAGE_SIZES) {
            FirmwareImage image = FlashBenchBoards.image(size);
            long blocks = (size + transferSize - 1L) / transferSize;
            double kib = size / 1024.0;
            for (BoardKind kind : BoardKind.values()) {
                String key = FlashBenchBoards.sizeLabel(size) + "." + kind.label();
                VirtualClock clock = new VirtualClock();
                SimulatedStm32 board = FlashBenchBoards.board(kind, SimOptions.defaults(), clock);
                long[] counted = new long[Phase.values().length];
                long[] atStart = new long[1];
                FlashListener counter = new FlashListener() {
                    @Override
                    public void phaseStarted(Phase phase) {
                        atStart[0] = board.controlTransferCount();
                    }

                    @Override
                    public void phaseFinished(Phase phase, Duration took) {
                        counted[phase.ordinal()] = board.controlTransferCount() - atStart[0];
                    }
                };
                FlashBenchBoards.flash(clock, board, image, counter);
                violations += board.violations().size();

                long ours = counted[Phase.WRITE.ordinal()] + counted[Phase.VERIFY.ordinal()];
                boolean afterRead = kind == BoardKind.ERASED;
                long minimum = (afterRead ? 1 : 0) + 3 + 3 * blocks + 4 + blocks;
                long dfuUtil = 6 * blocks + 5 + blocks;
                double ratio = (double) ours / minimum;
                System.out.printf(Locale.ROOT, "  %-14s write %5d verify %5d  ours %5d  minimum %5d  ratio %.4f  "
                        + "dfu-util (computed) %5d%n", key, counted[Phase.WRITE.ordinal()],
                        counted[Phase.VERIFY.ordinal()], ours, minimum, ratio, dfuUtil);
                results.add(BenchResult.atMost(name(), key + ".ratio", ratio, "x minimum", TARGET_RATIO));
                results.add(BenchResult.info(name(), key + ".perKiB", ours / kib, "transfers/KiB"));
                results.add(BenchResult.info(name(), key + ".minimumPerKiB", minimum / kib, "transfers/KiB"));
                results.add(BenchResult.info(name(), key + ".dfuUtilComputedPerKiB", dfuUtil / kib, "transfers/KiB"));
            }
        }
        // FlashBenchBoards.flash already refuses a job that broke the protocol; reported so that
        // every simulator benchmark states its count.
        results.add(BenchResult.atMost(name(), "violations", violations, "count", 0));
        return results;
    }
}
