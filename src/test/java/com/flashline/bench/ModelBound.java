package com.flashline.bench;

import com.flashline.dfu.Sector;
import com.flashline.sim.TimingModel;
import java.time.Duration;
import java.util.List;

/**
 * The least time any host that obeys the protocol could need, under the simulator's timing model,
 * to flash an image written from the flash start as one contiguous run (see docs/benchmarks.md,
 * "efficiency"). Every control transfer of the shortest request sequence costs
 * {@link TimingModel#transferTime} of its data stage; after a command the host waits the
 * operation's own modelled time (the physical bound: what a host reaches on a ROM that holds the
 * poll until the flash is done), or, with {@code roundPollTimeout}, that time rounded up to whole
 * milliseconds (what an exact-reporting ROM's bwPollTimeout imposes).
 *
 * <p>Sequence: Get command (UPLOAD 32) + GETSTATUS; UID: ABORT, Set Address, ABORT, UPLOAD 12.
 * ERASE on a used board: the cheaper of one erase per touched sector and (when the image covers the
 * whole flash) one mass erase, each DNLOAD + GETSTATUS + wait + GETSTATUS; on an erased board: the
 * cheaper of those erases and reading the touched sectors once (ABORT, Set Address, ABORT, one
 * UPLOAD per block) — a host that has not looked cannot know the board is blank, and reading is
 * the cheapest way to find out. WRITE: (ABORT after a read) Set Address, then per block DNLOAD +
 * GETSTATUS + wait + GETSTATUS. VERIFY: Set Address, ABORT, one UPLOAD per block. LEAVE: ABORT, Set
 * Address, zero-length DNLOAD, GETSTATUS.
 */
record ModelBound(TimingModel model, int transferSize, boolean roundPollTimeout) {

    private static final int STATUS_LENGTH = 6;
    private static final int ADDRESS_COMMAND = 5;

    Duration of(int imageBytes, List<Sector> touched, List<Sector> flash, boolean erasedBoard) {
        long blocks = (imageBytes + transferSize - 1L) / transferSize;
        long connectAndIdentify = t(32) + status() + abort() + setAddress() + abort() + t(12);
        long sectorErases = 0;
        for (Sector sector : touched) {
            sectorErases += command(model.eraseTime(sector), ADDRESS_COMMAND);
        }
        long erase = sectorErases;
        if (touched.size() == flash.size()) {
            erase = Math.min(erase, command(model.massEraseTime(), 1));
        }
        long eraseBeforeWrite = abort() + erase;
        boolean readInstead = false;
        if (erasedBoard) {
            long touchedBytes = touched.stream().mapToLong(Sector::size).sum();
            long readBlocks = (touchedBytes + transferSize - 1) / transferSize;
            long read = abort() + setAddress() + abort() + readBlocks * t(transferSize);
            if (read < eraseBeforeWrite) {
                eraseBeforeWrite = read;
                readInstead = true;
            }
        }
        long write = (readInstead ? abort() : 0) + setAddress()
                + blocks * (t(transferSize) + status() + poll(model.programTime(transferSize)) + status());
        long verify = setAddress() + abort() + blocks * t(transferSize);
        long leave = abort() + setAddress() + t(0) + status();
        return Duration.ofNanos(connectAndIdentify + eraseBeforeWrite + write + verify + leave);
    }

    /** The bare modelled erase and program times of the same job, without any transfer. */
    Duration flashTimeOnly(int imageBytes, List<Sector> touched, List<Sector> flash, boolean erasedBoard) {
        long erase = 0;
        if (!erasedBoard) {
            for (Sector sector : touched) {
                erase += model.eraseTime(sector).toNanos();
            }
            if (touched.size() == flash.size()) {
                erase = Math.min(erase, model.massEraseTime().toNanos());
            }
        }
        return Duration.ofNanos(erase + model.programTime(imageBytes).toNanos());
    }

    private long t(int dataBytes) {
        return model.transferTime(dataBytes).toNanos();
    }

    private long status() {
        return t(STATUS_LENGTH);
    }

    private long abort() {
        return t(0);
    }

    /** Set Address Pointer: the device reports bwPollTimeout 0, so no wait. */
    private long setAddress() {
        return t(ADDRESS_COMMAND) + status() + status();
    }

    private long command(Duration operation, int commandLength) {
        return t(commandLength) + status() + poll(operation) + status();
    }

    private long poll(Duration operation) {
        if (!roundPollTimeout) {
            return operation.toNanos();
        }
        return TimingModel.pollTimeoutMillis(operation) * 1_000_000L;
    }
}
