package com.flashline.firmware;

import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.MemoryRegion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that an image only writes where the device has writeable memory. The layouts are taken
 * as one address space (STM32 maps flash, option bytes and OTP at distinct addresses); a DfuSe
 * segment's alternate setting is not matched against a particular layout.
 */
public final class FirmwareValidator {

    private FirmwareValidator() {
    }

    /**
     * Throws {@link FirmwareValidationException} listing every range of the image that does not
     * lie in a writeable region of one of {@code layouts} (e.g. flash and option bytes of one device).
     */
    public static void validate(FirmwareImage image, List<MemoryLayout> layouts) {
        List<AddressRange> outside = unwriteableRanges(image, layouts);
        if (!outside.isEmpty()) {
            throw new FirmwareValidationException(outside);
        }
    }

    /** The parts of the image outside writeable memory, in address order, empty when it all fits. */
    public static List<AddressRange> unwriteableRanges(FirmwareImage image, List<MemoryLayout> layouts) {
        List<AddressRange> writeable = writeableRanges(layouts);
        List<AddressRange> outside = new ArrayList<>();
        for (Segment segment : image.segments()) {
            long at = segment.address();
            long end = segment.end();
            for (AddressRange w : writeable) {
                if (at >= end) {
                    break;
                }
                if (w.end() <= at) {
                    continue;
                }
                if (w.start() > at) {
                    addMerged(outside, at, Math.min(w.start(), end));
                }
                at = Math.max(at, w.end());
            }
            if (at < end) {
                addMerged(outside, at, end);
            }
        }
        return outside;
    }

    private static void addMerged(List<AddressRange> ranges, long start, long end) {
        if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).end() == start) {
            AddressRange last = ranges.remove(ranges.size() - 1);
            ranges.add(new AddressRange(last.start(), end));
        } else {
            ranges.add(new AddressRange(start, end));
        }
    }

    /** Writeable regions of all layouts, sorted and coalesced. */
    static List<AddressRange> writeableRanges(List<MemoryLayout> layouts) {
        List<AddressRange> ranges = new ArrayList<>();
        for (MemoryLayout layout : layouts) {
            for (MemoryRegion region : layout.regions()) {
                if (region.writeable()) {
                    ranges.add(new AddressRange(region.start(), region.end()));
                }
            }
        }
        ranges.sort(Comparator.comparingLong(AddressRange::start));
        List<AddressRange> merged = new ArrayList<>();
        for (AddressRange r : ranges) {
            AddressRange last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r.start() <= last.end()) {
                merged.set(merged.size() - 1, new AddressRange(last.start(), Math.max(last.end(), r.end())));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }
}
