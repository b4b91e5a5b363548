package com.flashline.bench;

import com.flashline.dfu.DfuRequest;
import com.flashline.dfu.Sector;
import com.flashline.sim.SimulatedStm32;
import com.flashline.sim.TimingModel;
import com.flashline.usb.emulation.RequestLog;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control transfers one job sent to its board, by kind, and the time the simulated board
 * itself spent on them (its "device floor": USB transfer cost, erase and programming times, all
 * at the board's time scale). Wall time minus the floor is what the host and the emulated bus added.
 *
 * @param counts      transfers by kind (see {@link #KINDS}); DNLOAD is also split into its DfuSe
 *                    commands and data blocks
 * @param deviceFloor the sum of the simulated board's own busy times for these transfers
 */
public record RealPathTally(Map<String, Long> counts, Duration deviceFloor) {

    /** Every kind a tally reports, in report order; {@code total} counts each transfer once. */
    public static final List<String> KINDS = List.of("total", "SET_INTERFACE", "DNLOAD", "DNLOAD.erase",
            "DNLOAD.setAddress", "DNLOAD.otherCommand", "DNLOAD.data", "UPLOAD", "GETSTATUS", "GETSTATE",
            "CLRSTATUS", "ABORT", "DETACH", "failed");

    private static final int ERASE = 0x41;
    private static final int SET_ADDRESS = 0x21;

    public RealPathTally {
        counts = Map.copyOf(counts);
    }

    public long count(String kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /** Tallies a log's entries for a board (whose timing model and sectors give the floor). */
    public static RealPathTally of(List<RequestLog.Entry> entries, SimulatedStm32 board) {
        Map<String, Long> counts = new LinkedHashMap<>();
        KINDS.forEach(k -> counts.put(k, 0L));
        TimingModel timing = board.timing();
        Duration floor = Duration.ZERO;
        for (RequestLog.Entry e : entries) {
            counts.merge("total", 1L, Long::sum);
            if (e.answered() < 0) {
                counts.merge("failed", 1L, Long::sum);
            }
            if (e.request() == null) {
                counts.merge("SET_INTERFACE", 1L, Long::sum);
                continue;
            }
            counts.merge(e.request().name(), 1L, Long::sum);
            int dataStage = e.request().isDeviceToHost() ? e.setup().wLength() : e.data().length;
            floor = floor.plus(timing.transferTime(dataStage));
            if (e.request() == DfuRequest.DNLOAD) {
                int command = e.command();
                if (command == ERASE && e.data().length == 5) {
                    counts.merge("DNLOAD.erase", 1L, Long::sum);
                    floor = floor.plus(timing.eraseTime(sectorAt(board, littleEndian(e.data()))));
                } else if (command == ERASE) {
                    counts.merge("DNLOAD.erase", 1L, Long::sum);
                    floor = floor.plus(timing.massEraseTime());
                } else if (command == SET_ADDRESS) {
                    counts.merge("DNLOAD.setAddress", 1L, Long::sum);
                } else if (command >= 0) {
                    counts.merge("DNLOAD.otherCommand", 1L, Long::sum);
                } else if (e.setup().wValue() >= 2) {
                    counts.merge("DNLOAD.data", 1L, Long::sum);
                    floor = floor.plus(timing.programTime(e.data().length));
                }
            }
        }
        return new RealPathTally(counts, floor);
    }

    private static long littleEndian(byte[] command) {
        return (command[1] & 0xFFL) | (command[2] & 0xFFL) << 8 | (command[3] & 0xFFL) << 16 | (command[4] & 0xFFL) << 24;
    }

    private static Sector sectorAt(SimulatedStm32 board, long address) {
        return board.flashSectors().stream().filter(s -> s.contains(address)).findFirst()
                .orElseThrow(() -> new IllegalStateException("erase of 0x" + Long.toHexString(address)
                        + " outside the flash sectors of " + board));
    }
}
