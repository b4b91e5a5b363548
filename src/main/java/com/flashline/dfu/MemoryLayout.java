package com.flashline.dfu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A DfuSe memory layout, parsed from an alternate setting's name string such as
 * {@code @Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg}.
 *
 * <p>Grammar (ST UM0424, as real ROMs send it): {@code @name} then one or more
 * {@code /start/group[,group...]} blocks. A group {@code NN*SSSma} is NN sectors of SSS units
 * each, {@code m} the multiplier (space or {@code B}: bytes, {@code K}: KiB, {@code M}: MiB) and
 * {@code a} the attribute letter {@code a..g}: bit 0 readable, bit 1 erasable, bit 2 writeable.
 * Groups in one block follow each other in memory.
 */
public record MemoryLayout(String name, List<MemoryRegion> regions) {

    /**
     * Longest layout string accepted. A USB string descriptor holds at most 126 UTF-16 code
     * units, so anything longer did not come from a device; the bound also keeps the overlap
     * check (quadratic in the number of groups) cheap.
     */
    public static final int MAX_LENGTH = 1024;

    /**
     * Most sectors one layout may declare. The largest real one known here is 512 pages
     * (STM32L4/G4 with 2 KiB pages); 65,536 leaves a wide margin for page-granular parts
     * (128-byte pages over 8 MiB) while a device cannot make {@link #sectors()} build billions
     * of objects with {@code /0x0/9999999*1Bg,...}.
     */
    public static final int MAX_SECTORS = 65_536;

    public MemoryLayout {
        regions = List.copyOf(regions);
    }

    /** Parses a DfuSe layout string; throws {@link MemoryLayoutException} naming the bad part. */
    public static MemoryLayout parse(String descriptor) {
        if (descriptor == null) {
            throw new MemoryLayoutException("no memory layout string", "", 0);
        }
        if (descriptor.length() > MAX_LENGTH) {
            throw new MemoryLayoutException("longer than " + MAX_LENGTH + " characters", descriptor, MAX_LENGTH);
        }
        String s = descriptor.strip();
        if (!s.startsWith("@")) {
            throw new MemoryLayoutException("a DfuSe layout starts with '@'", descriptor, 0);
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new MemoryLayoutException("no '/start/' address after the name", descriptor, s.length());
        }
        String name = s.substring(1, slash).strip();
        if (name.isEmpty()) {
            throw new MemoryLayoutException("empty memory name", descriptor, 1);
        }
        List<MemoryRegion> regions = new ArrayList<>();
        String[] parts = s.substring(slash + 1).split("/", -1);
        int offset = slash + 1;
        if (parts.length % 2 != 0) {
            throw new MemoryLayoutException("expected '/start/sectors' pairs", descriptor, s.length());
        }
        long sectors = 0;
        for (int i = 0; i < parts.length; i += 2) {
            long start = parseAddress(parts[i], descriptor, offset);
            offset += parts[i].length() + 1;
            long at = start;
            int groupOffset = offset;
            for (String group : parts[i + 1].split(",", -1)) {
                MemoryRegion region = parseGroup(group, at, descriptor, groupOffset);
                sectors += region.sectorCount();
                if (sectors > MAX_SECTORS) {
                    throw new MemoryLayoutException("more than " + MAX_SECTORS + " sectors in all", descriptor,
                            groupOffset);
                }
                regions.add(region);
                at = region.end();
                groupOffset += group.length() + 1;
            }
            offset += parts[i + 1].length() + 1;
        }
        for (int i = 1; i < regions.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (regions.get(i).overlaps(regions.get(j))) {
                    throw new MemoryLayoutException("regions overlap at 0x"
                            + Long.toHexString(regions.get(i).start()), descriptor, 0);
                }
            }
        }
        return new MemoryLayout(name, regions);
    }

    private static long parseAddress(String text, String descriptor, int offset) {
        String t = text.strip();
        // Hex digits only: Long.parseLong alone would also take a sign ("0x-1" gave start -1).
        if (!(t.startsWith("0x") || t.startsWith("0X")) || t.length() < 3 || t.length() > 10
                || !t.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80)) {
            throw new MemoryLayoutException("bad start address '" + text + "' (want 0x followed by up to 8 hex digits)",
                    descriptor, offset);
        }
        try {
            return Long.parseLong(t.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new MemoryLayoutException("bad start address '" + text + "'", descriptor, offset);
        }
    }

    private static MemoryRegion parseGroup(String group, long start, String descriptor, int offset) {
        String g = group.strip();
        int star = g.indexOf('*');
        if (star <= 0) {
            throw new MemoryLayoutException("bad sector group '" + group + "' (want NN*SSSma)", descriptor, offset);
        }
        int count = parseDecimal(g.substring(0, star), group, descriptor, offset);
        int i = star + 1;
        int digitsEnd = i;
        while (digitsEnd < g.length() && Character.isDigit(g.charAt(digitsEnd))) {
            digitsEnd++;
        }
        int size = parseDecimal(g.substring(i, digitsEnd), group, descriptor, offset);
        String rest = group.substring(group.indexOf('*') + 1 + (digitsEnd - i));
        // The multiplier may be a space, so take the tail from the unstripped group.
        rest = rest.stripTrailing();
        char multiplier;
        char attribute;
        if (rest.length() == 2) {
            multiplier = rest.charAt(0);
            attribute = rest.charAt(1);
        } else if (rest.length() == 1) {
            multiplier = ' ';
            attribute = rest.charAt(0);
        } else {
            throw new MemoryLayoutException("bad sector group '" + group + "' (want NN*SSSma)", descriptor, offset);
        }
        long unit = switch (multiplier) {
            case ' ', 'B' -> 1;
            case 'K' -> 1024;
            case 'M' -> 1024 * 1024;
            default -> throw new MemoryLayoutException("unknown size multiplier '" + multiplier + "' in '" + group
                    + "' (want space, B, K or M)", descriptor, offset);
        };
        if (attribute < 'a' || attribute > 'g') {
            throw new MemoryLayoutException("unknown sector attribute '" + attribute + "' in '" + group
                    + "' (want a..g)", descriptor, offset);
        }
        long sectorSize = size * unit;
        if (count == 0 || sectorSize == 0 || sectorSize > Integer.MAX_VALUE) {
            throw new MemoryLayoutException("empty or oversized sector group '" + group + "'", descriptor, offset);
        }
        long end = start + count * sectorSize;
        if (end > 0x1_0000_0000L) {
            throw new MemoryLayoutException("sector group '" + group + "' runs past the 32-bit address space",
                    descriptor, offset);
        }
        return new MemoryRegion(start, count, (int) sectorSize, attribute - 'a' + 1);
    }

    private static int parseDecimal(String text, String group, String descriptor, int offset) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > 7 || !t.chars().allMatch(Character::isDigit)) {
            throw new MemoryLayoutException("bad number '" + text + "' in sector group '" + group + "'",
                    descriptor, offset);
        }
        return Integer.parseInt(t);
    }

    /** The first address of the lowest region. */
    public long start() {
        return regions.stream().mapToLong(MemoryRegion::start).min().orElse(0);
    }

    /** Every sector of every region, in the order of the string. */
    public List<Sector> sectors() {
        List<Sector> all = new ArrayList<>();
        for (MemoryRegion r : regions) {
            all.addAll(r.sectors());
        }
        return all;
    }

    /** The sector that holds {@code address}, if any region covers it. */
    public Optional<Sector> sectorAt(long address) {
        for (MemoryRegion r : regions) {
            if (r.contains(address)) {
                return Optional.of(r.sectorAt(address));
            }
        }
        return Optional.empty();
    }

    public boolean contains(long address) {
        return regions.stream().anyMatch(r -> r.contains(address));
    }

    /** True when every byte of [address, address + length) lies in sectors with all the given attribute bits. */
    public boolean allows(long address, long length, int requiredAttributes) {
        long at = address;
        long end = address + length;
        while (at < end) {
            Optional<Sector> s = sectorAt(at);
            if (s.isEmpty() || (s.get().attributes() & requiredAttributes) != requiredAttributes) {
                return false;
            }
            at = s.get().end();
        }
        return true;
    }

    @Override
    public String toString() {
        return "@" + name + " " + regions;
    }
}
