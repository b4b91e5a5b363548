package com.flashline.flashing;

import com.flashline.dfu.BlockSink;
import com.flashline.error.FailureCode;
import java.util.Arrays;

/**
 * WRITE (blocks of wTransferSize, one Set Address per run of program units) and VERIFY (every
 * image byte read back and compared, the first difference fails), and the read-back compare the
 * serial record and the option bytes use too.
 */
final class Programming {

    void write(FlashRun run) {
        WritePlan toWrite = run.toWrite();
        FlashListener listener = run.listener();
        long total = toWrite.totalBytes();
        long before = 0;
        for (WritePlan.Run part : toWrite.runs()) {
            long base = before;
            // Counted from the blocks the device acknowledged, not taken from the plan: the report
            // and a failure's progress say what was really sent.
            long[] acknowledged = {0};
            try {
                run.device().write(part.address(), part.data(), 0, part.length(), (done, of) -> {
                    acknowledged[0] = done;
                    listener.progress(Phase.WRITE, base + done, total);
                }, run.cancelled());
            } finally {
                run.written(acknowledged[0]);
            }
            before += part.length();
        }
        if (total == 0) {
            listener.progress(Phase.WRITE, 0, 0);
        }
    }

    /** Reads back the whole image, not only what WRITE sent: a sector found equal is checked as well. */
    void verify(FlashRun run) {
        WritePlan plan = run.plan();
        long total = plan.totalBytes();
        long before = 0;
        for (WritePlan.Run part : plan.runs()) {
            run.verified(readBackAndCompare(run, part, before, total));
            before += part.length();
        }
    }

    /**
     * Reads {@code part} back, comparing every block with it as it arrives; the first difference
     * fails. In VERIFY, reports progress as {@code before} plus the bytes compared, of {@code total}.
     *
     * @return the bytes read back and found equal (measured, block by block)
     */
    static long readBackAndCompare(FlashRun run, WritePlan.Run part, long before, long total) {
        byte[] expected = part.data();
        long[] compared = {0};
        BlockSink compare = (address, block) -> {
            int from = (int) (address - part.address());
            int at = Arrays.mismatch(expected, from, from + block.length, block, 0, block.length);
            if (at >= 0) {
                throw new FlashFailure(run.phase(), FailureCode.VERIFY_MISMATCH, String.format(
                        "read-back differs at 0x%08X: wrote 0x%02X, read 0x%02X", address + at,
                        expected[from + at] & 0xFF, block[at] & 0xFF), address + at, false, null);
            }
            compared[0] += block.length;
            if (run.phase() == Phase.VERIFY) {
                run.listener().progress(Phase.VERIFY, before + from + block.length, total);
            }
            return true;
        };
        run.device().read(part.address(), part.length(), compare, run.cancelled());
        return compared[0];
    }
}
