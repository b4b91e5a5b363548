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

    /** One contiguous piece of memory and its bytes. */
    record Area(Kind kind, long base, byte[] bytes) {
        long end() {
            return base + bytes.length;
        }

        boolean contains(long address, long length) {
            return address >= base && length >= 0 && address + length <= end();
        }

        int offset(long address) {
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
        for (int i = 0; i < system.bytes().length; i++) {
            system.bytes()[i] = (byte) (i * 31 + (i >>> 8) + 0x5A);
        }
        profile.otp().ifPresent(o -> add(Kind.OTP, o.base(), o.size(), (byte) 0xFF));
        Area id = add(Kind.DEVICE_ID, profile.deviceIdArea().base(), profile.deviceIdArea().size(), (byte) 0xFF);
        System.arraycopy(uid, 0, id.bytes(), id.offset(profile.uidAddress()), uid.length);
        int kib = f.size() / 1024;
        id.bytes()[id.offset(profile.flashSizeRegisterAddress())] = (byte) kib;
        id.bytes()[id.offset(profile.flashSizeRegisterAddress()) + 1] = (byte) (kib >>> 8);
        for (ChipProfile.OptionBlock block : profile.optionBytes().blocks()) {
            Area a = add(Kind.OPTION_BYTES, block.base(), block.size(), (byte) 0);
            System.arraycopy(block.factoryDefaults(), 0, a.bytes(), 0, block.size());
        }
    }

    private Area add(Kind kind, long base, int size, byte fill) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, fill);
        Area area = new Area(kind, base, bytes);
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
        return Arrays.copyOfRange(a.bytes(), a.offset(address), a.offset(address) + length);
    }

    /** Stores bytes as they are (preloading, RAM writes, option-byte replacement). */
    void store(long address, byte[] data) {
        Area a = areaFor(address, data.length).orElseThrow(() -> new IllegalArgumentException(String.format(
                "0x%08x+%d is not inside one simulated memory area", address, data.length)));
        System.arraycopy(data, 0, a.bytes(), a.offset(address), data.length);
    }

    void eraseSector(int index) {
        Sector s = sectors.get(index);
        Arrays.fill(flash.bytes(), flash.offset(s.start()), flash.offset(s.end()), (byte) 0xFF);
    }

    void eraseAllFlash() {
        Arrays.fill(flash.bytes(), (byte) 0xFF);
    }

    void clearRam() {
        Arrays.fill(ram.bytes(), (byte) 0);
    }

    void resetOptionBytes() {
        for (ChipProfile.OptionBlock block : profile.optionBytes().blocks()) {
            store(block.base(), block.factoryDefaults());
        }
    }
}
