package com.flashline.flashing;

import com.flashline.dfu.BlockSink;
import com.flashline.dfu.DfuSeDevice;
import com.flashline.dfu.Sector;
import com.flashline.firmware.ErasePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ERASE: only the sectors the image touches, or the whole flash in {@link EraseMode#MASS}. Where
 * the family's erase times make reading a sector cheaper than erasing it ({@link EraseCostModel}),
 * the sector is read first: a blank one is written without an erase, one already holding exactly
 * its part of the image is neither erased nor written, any other is erased — all at once when that
 * is the whole flash and the family's mass erase is faster.
 */
final class Erasing {

    void erase(FlashRun run) {
        FlashListener listener = run.listener();
        DfuSeDevice device = run.device();
        if (run.request().eraseMode() == EraseMode.MASS) {
            long total = run.board().flashSectors().stream().mapToLong(Sector::size).sum();
            if (!run.flashBlank()) {
                device.massErase();
                run.massErased(total);
            }
            listener.progress(Phase.ERASE, total, total);
            return;
        }
        if (run.flashBlank()) {
            listener.progress(Phase.ERASE, 0, 0);
            return;
        }
        ErasePlan erasePlan = ErasePlan.of(run.request().image(), run.board().layouts());
        ChipCatalog.ChipFamily family = run.family();
        Optional<EraseCostModel> costs = family == null ? Optional.empty()
                : family.knownEraseTimes().map(t -> new EraseCostModel(t, device.transferSize()));
        List<Sector> toErase = new ArrayList<>();
        List<Sector> unchanged = new ArrayList<>();
        if (costs.isPresent()) {
            classify(run, erasePlan, costs.get(), toErase, unchanged);
        } else {
            toErase.addAll(erasePlan.sectors());
        }
        long total = toErase.stream().mapToLong(Sector::size).sum();
        List<Sector> flash = run.board().flashSectors();
        if (costs.isPresent() && toErase.size() == flash.size() && toErase.containsAll(flash)
                && costs.get().massEraseCheaper(toErase)) {
            run.checkCancelled();
            device.massErase();
            run.erased(total);
            listener.progress(Phase.ERASE, total, total);
        } else {
            long done = 0;
            for (Sector sector : toErase) {
                run.checkCancelled();
                device.eraseSector(sector.start());
                done += sector.size();
                run.erased(sector.size());
                listener.progress(Phase.ERASE, done, total);
            }
        }
        run.erasePlanned(erasePlan.sectors(), unchanged);
    }

    /**
     * Reads the touched sectors that are cheaper to read than to erase and sorts every touched
     * sector into {@code toErase} (it holds something else), {@code unchanged} (it already holds
     * exactly what erasing and writing would leave: its part of the image, 0xFF elsewhere) or
     * neither (blank: written without an erase). Neighbouring sectors are read in one run; a
     * sector is read only until a byte shows it must be erased, and the run goes on at the next one.
     */
    private static void classify(FlashRun run, ErasePlan erasePlan, EraseCostModel costs, List<Sector> toErase,
            List<Sector> unchanged) {
        List<Sector> sectors = erasePlan.sectors();
        int i = 0;
        while (i < sectors.size()) {
            run.checkCancelled();
            if (!costs.worthReading(sectors.get(i))) {
                toErase.add(sectors.get(i++));
                continue;
            }
            int j = i + 1;
            while (j < sectors.size() && sectors.get(j).start() == sectors.get(j - 1).end()
                    && costs.worthReading(sectors.get(j))) {
                j++;
            }
            SectorSorter sorter = new SectorSorter(run.plan(), sectors.subList(i, j), toErase, unchanged);
            long start = sectors.get(i).start();
            run.device().read(start, Math.toIntExact(sectors.get(j - 1).end() - start), sorter, run.cancelled());
            i += sorter.next;
        }
    }

    /** Sorts the sectors of one read run as their blocks arrive; stops the read inside a sector that must be erased. */
    private static final class SectorSorter implements BlockSink {
        private final WritePlan plan;
        private final List<Sector> sectors;
        private final List<Sector> toErase;
        private final List<Sector> unchanged;
        /** Index of the sector being read; after the read, of the first sector not sorted. */
        int next;
        private boolean blank = true;
        private boolean matches = true;

        SectorSorter(WritePlan plan, List<Sector> sectors, List<Sector> toErase, List<Sector> unchanged) {
            this.plan = plan;
            this.sectors = sectors;
            this.toErase = toErase;
            this.unchanged = unchanged;
        }

        @Override
        public boolean accept(long address, byte[] data) {
            int offset = 0;
            while (offset < data.length) {
                Sector sector = sectors.get(next);
                long at = address + offset;
                int length = (int) Math.min(data.length - offset, sector.end() - at);
                blank = blank && WritePlan.isErased(data, offset, length);
                matches = matches && plan.flashMatches(at, data, offset, length);
                offset += length;
                boolean sectorDone = at + length == sector.end();
                if (!blank && !matches) {
                    toErase.add(sector);
                } else if (sectorDone) {
                    if (matches) {
                        unchanged.add(sector);
                    }
                } else {
                    continue;
                }
                next++;
                blank = true;
                matches = true;
                if (next == sectors.size()) {
                    return false;
                }
                if (!sectorDone) {
                    // The rest of this sector is not needed: go on at the next sector with a new pointer.
                    return false;
                }
            }
            return true;
        }
    }
}
