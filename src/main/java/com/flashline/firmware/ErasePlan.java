package com.flashline.firmware;

import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.MemoryRegion;
import com.flashline.dfu.Sector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The sectors (pages) that must be erased before writing an image: exactly those an image byte
 * falls in, and only erasable ones (option bytes, for instance, are written without an erase).
 * Bytes outside every layout are ignored here; {@link FirmwareValidator} is what rejects them.
 *
 * @param sectors    distinct sectors in address order
 * @param totalBytes sum of their sizes
 */
public record ErasePlan(List<Sector> sectors, long totalBytes) {

    public ErasePlan {
        sectors = List.copyOf(sectors);
    }

    public static ErasePlan of(FirmwareImage image, List<MemoryLayout> layouts) {
        List<MemoryRegion> regions = new ArrayList<>();
        layouts.forEach(layout -> regions.addAll(layout.regions()));
        regions.sort(Comparator.comparingLong(MemoryRegion::start));
        List<Sector> sectors = new ArrayList<>();
        for (Segment segment : image.segments()) {
            for (MemoryRegion region : regions) {
                long from = Math.max(segment.address(), region.start());
                long to = Math.min(segment.end(), region.end());
                if (from >= to || !region.erasable()) {
                    continue;
                }
                for (long at = region.sectorAt(from).start(); at < to; at += region.sectorSize()) {
                    Sector sector = region.sectorAt(at);
                    // Segments are sorted and disjoint, so a repeat can only be the sector just added.
                    if (sectors.isEmpty() || sectors.get(sectors.size() - 1).start() != sector.start()) {
                        sectors.add(sector);
                    }
                }
            }
        }
        sectors.sort(Comparator.comparingLong(Sector::start));
        long total = sectors.stream().mapToLong(Sector::size).sum();
        return new ErasePlan(sectors, total);
    }

    public int sectorCount() {
        return sectors.size();
    }
}
