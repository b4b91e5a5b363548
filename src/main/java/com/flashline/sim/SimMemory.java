package com.flashline.sim;

import com.flashline.dfu.Sector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The byte contents of one board and what each address range is. Not thread-safe; the board
 * guards it with its own lock.
 */
final class SimMemory {

    enum Kind { FLASH, RAM, SYSTEM_MEMORY, OTP, DEVICE_ID, OPTION_BYTES }

    /**
     * One contiguous piece of memory. Its bytes are kept in pages allocated on the first write
     * that changes them; a page never written reads as the area's fill (0xFF for erased flash).
     * A simulated fixture holds dozens of boards at once, each with up to 2 MiB of flash of which
     * a job touches a few hundred KiB, so allocating whole areas made the boards most of the
     * service's heap and kept its garbage collector busy.
     */
    static final class Area {
        private static final int PAGE = 1024;

        private final Kind kind;
        private final long base;
        private final int size;
        private final byte fill;
        private final byte[][] pages;

        Area(Kind kind, long base, int size, byte fill) {
            this.kind = kind;
            this.base = base;
            this.size = size;
            this.fill = fill;
            this.pages = new byte[(size + PAGE - 1) / PAGE][];
        }

        Kind kind() {
            return kind;
        }

        long base() {
            return base;
        }

        long end() {
            return base + size;
        }

        boolean contains(long address, long length) {
            return address >= base && length >= 0 && address + length <= end();
        }

        void set(long address, byte value) {
            int offset = offset(address);
            byte[] page = pages[offset / PAGE];
            if (page == null) {
                if (value == fill) {
                    return;
                }
                page = allocate(offset / PAGE);
            }
            page[offset % PAGE] = value;
        }

        /** The first address in [address, address + length) whose byte is not {@code value}, or -1. */
        long firstOther(long address, int length, byte value) {
            long[] found = {-1};
            pieces(address, length, (index, inPage, done, n) -> {
                byte[] page = pages[index];
                if (page == null) {
                    if (fill == value) {
                        return true;
                    }
                    found[0] = address + done;
                    return false;
                }
                for (int i = 0; i < n; i++) {
                    if (page[inPage + i] != value) {
                        found[0] = address + done + i;
                        return false;
                    }
                }
                return true;
            });
            return found[0];
        }

        void read(long address, byte[] into, int intoOffset, int length) {
            pieces(address, length, (index, inPage, done, n) -> {
                byte[] page = pages[index];
                if (page == null) {
                    Arrays.fill(into, intoOffset + done, intoOffset + done + n, fill);
                } else {
                    System.arraycopy(page, inPage, into, intoOffset + done, n);
                }
                return true;
            });
        }

        void write(long address, byte[] data) {
            pieces(address, data.length, (index, inPage, done, n) -> {
                byte[] page = pages[index];
                if (page == null && !allEqual(data, done, n, fill)) {
                    page = allocate(index);
                }
                if (page != null) {
                    System.arraycopy(data, done, page, inPage, n);
                }
                return true;
            });
        }

        /**
         * Programs flash: each byte of [address, address + length) becomes itself AND the data
         * from {@code data[dataOffset]} on (programming only clears bits).
         */
        void clearBits(long address, byte[] data, int dataOffset, int length) {
            pieces(address, length, (index, inPage, done, n) -> {
                byte[] page = pages[index];
                if (page == null && !allEqual(data, dataOffset + done, n, (byte) -1)) {
                    page = allocate(index);
                }
                if (page != null) {
                    for (int i = 0; i < n; i++) {
                        page[inPage + i] &= data[dataOffset + done + i];
                    }
                }
                return true;
            });
        }

        /** Every byte of [address, address + length) back to the fill; whole pages are released. */
        void reset(long address, long length) {
            pieces(address, Math.toIntExact(length), (index, inPage, done, n) -> {
                if (n == PAGE) {
                    pages[index] = null;
                } else if (pages[index] != null) {
                    Arrays.fill(pages[index], inPage, inPage + n, fill);
                }
                return true;
            });
        }

        /** The part of a range that lies in one page: {@code n} bytes from {@code inPage}, {@code done} bytes into the range. */
        @FunctionalInterface
        private interface Piece {
            /** @return whether to go on with the next piece */
            boolean visit(int index, int inPage, int done, int n);
        }

        /** Walks [address, address + length) page by page. */
        private void pieces(long address, int length, Piece piece) {
            int offset = offset(address);
            for (int done = 0; done < length; ) {
                int inPage = (offset + done) % PAGE;
                int n = Math.min(PAGE - inPage, length - done);
                if (!piece.visit((offset + done) / PAGE, inPage, done, n)) {
                    return;
                }
                done += n;
            }
        }

        private static boolean allEqual(byte[] bytes, int from, int length, byte value) {
            for (int i = from; i < from + length; i++) {
                if (bytes[i] != value) {
                    return false;
                }
            }
            return true;
        }

        private byte[] allocate(int index) {
            byte[] page = new byte[PAGE];
            Arrays.fill(page, fill);
            pages[index] = page;
            return page;
        }

        private int offset(long address) {
            return (int) (address - base);
        }
    }

    private final ChipProfile profile;
    private final List<Area> areas = new ArrayList<>();
    private final Area flash;
    private final Area ram;
    private final List<Sector> sectors;

    SimMemory(ChipProfile profile, byte[] uid) {
        this.profile = profile;
        this.sectors = profile.flashSectors();
        ChipProfile.Region f = profile.flash();
        flash = add(Kind.FLASH, f.base(), f.size(), (byte) 0xFF);
        ram = add(Kind.RAM, profile.ram().base(), profile.ram().size(), (byte) 0);
        Area system = add(Kind.SYSTEM_MEMORY, profile.systemMemory().base(), profile.systemMemory().size(), (byte) 0);
        // Something other than a constant, so that reads at an offset are distinguishable.
        byte[] rom = new byte[profile.systemMemory().size()];
        for (int i = 0; i < rom.length; i++) {
            rom[i] = (byte) (i * 31 + (i >>> 8) + 0x5A);
        }
        system.write(system.base(), rom);
        profile.otp().ifPresent(o -> add(Kind.OTP, o.base(), o.size(), (byte) 0xFF));
        Area id = add(Kind.DEVICE_ID, profile.deviceIdArea().base(), profile.deviceIdArea().size(), (byte) 0xFF);
        id.write(profile.uidAddress(), uid);
        int kib = f.size() / 1024;
        id.set(profile.flashSizeRegisterAddress(), (byte) kib);
        id.set(profile.flashSizeRegisterAddress() + 1, (byte) (kib >>> 8));
        for (ChipProfile.OptionBlock block : profile.optionBytes().blocks()) {
            Area a = add(Kind.OPTION_BYTES, block.base(), block.size(), (byte) 0);
            a.write(block.base(), block.factoryDefaults());
        }
    }

    private Area add(Kind kind, long base, int size, byte fill) {
        Area area = new Area(kind, base, size, fill);
        for (Area other : areas) {
            if (area.base() < other.end() && other.base() < area.end()) {
                throw new IllegalArgumentException("profile " + profile + " has overlapping memory at 0x"
                        + Long.toHexString(base));
            }
        }
        areas.add(area);
        return area;
    }

    /** The area that holds all of [address, address + length), if one does. */
    Optional<Area> areaFor(long address, long length) {
        return areas.stream().filter(a -> a.contains(address, Math.max(length, 1))).findFirst();
    }

    Area flash() {
        return flash;
    }

    Area ram() {
        return ram;
    }

    List<Sector> sectors() {
        return sectors;
    }

    int sectorIndex(long address) {
        for (int i = 0; i < sectors.size(); i++) {
            if (sectors.get(i).contains(address)) {
                return i;
            }
        }
        return -1;
    }

    byte[] read(long address, int length) {
        Area a = areaFor(address, length).orElseThrow(() -> new IllegalArgumentException(String.format(
                "0x%08x+%d is not inside one simulated memory area", address, length)));
        byte[] bytes = new byte[length];
        a.read(address, bytes, 0, length);
        return bytes;
    }

    /** Stores bytes as they are (preloading, RAM writes, option-byte replacement). */
    void store(long address, byte[] data) {
        Area a = areaFor(address, data.length).orElseThrow(() -> new IllegalArgumentException(String.format(
                "0x%08x+%d is not inside one simulated memory area", address, data.length)));
        a.write(address, data);
    }

    void eraseSector(int index) {
        Sector s = sectors.get(index);
        flash.reset(s.start(), s.end() - s.start());
    }

    void eraseAllFlash() {
        flash.reset(flash.base(), flash.end() - flash.base());
    }

    void clearRam() {
        ram.reset(ram.base(), ram.end() - ram.base());
    }

    void resetOptionBytes() {
        for (ChipProfile.OptionBlock block : profile.optionBytes().blocks()) {
            store(block.base(), block.factoryDefaults());
        }
    }
}
