package com.flashline.sim;

import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.Sector;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.rom.FlashTimes;
import com.flashline.rom.RomBehaviour;
import com.flashline.rom.RomTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one STM32 family's system bootloader looks like from USB and which memory it exposes
 * through the DfuSe Read / Write Memory commands (AN3156 section 3.1, AN2606 "device-dependent
 * bootloader parameters"). The internal flash sectors are taken from the alt-0 layout string, so
 * descriptor and memory model cannot drift apart. How the ROM behaves where ROMs differ (timing,
 * early GETSTATUS, wedges, CLRSTATUS), where the unique ID lives, a constant USB serial and the
 * flash timings at the ROM's parallelism come from the family's row of the ROM behaviour table
 * ({@code rom}), the row the host reads too.
 *
 * @param rom               the family's row of {@link RomTable}
 * @param altSettingNames   the interface strings exactly as the ROM reports them, alt 0 first
 * @param programFailsOnUnerased whether the flash controller rejects programming a unit that is
 *                          not erased (F1 PGERR, L4 PROGERR, H7 ECC) instead of just ANDing the bits in
 */
public record ChipProfile(
        String name,
        int vendorId,
        int productId,
        int bcdDevice,
        String manufacturer,
        String product,
        RomBehaviour rom,
        List<String> altSettingNames,
        int transferSize,
        int bmAttributes,
        int detachTimeoutMillis,
        int bcdDfuVersion,
        RamSpec ram,
        Region systemMemory,
        Optional<Region> otp,
        Region deviceIdArea,
        long flashSizeRegisterAddress,
        OptionBytesSpec optionBytes,
        boolean programFailsOnUnerased) {

    /** ST's bootloader answers to 0483:DF11 on every family. */
    public static final int ST_VENDOR_ID = UsbDeviceInfo.ST_VENDOR_ID;
    public static final int DFU_PRODUCT_ID = UsbDeviceInfo.ST_DFU_PRODUCT_ID;
    /** Can download, can upload, will detach; not manifestation tolerant (as every ST ROM reports). */
    public static final int ST_ROM_ATTRIBUTES = DfuFunctionalDescriptor.CAN_DOWNLOAD
            | DfuFunctionalDescriptor.CAN_UPLOAD | DfuFunctionalDescriptor.WILL_DETACH;
    public static final int UID_LENGTH = 12;

    public ChipProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rom, "rom");
        altSettingNames = List.copyOf(altSettingNames);
        if (altSettingNames.isEmpty()) {
            throw new IllegalArgumentException("a DFU interface needs at least the internal-flash alt setting");
        }
        MemoryLayout flashLayout = MemoryLayout.parse(altSettingNames.get(0)); // fail fast on a bad layout string
        if (rom.uniqueId() == null || !rom.uniqueId().isContiguous()) {
            throw new IllegalArgumentException(name + ": the simulator needs a contiguous unique-ID address in row " + rom);
        }
        FlashTimes times = rom.knownFlash().orElseThrow(() ->
                new IllegalArgumentException(name + ": row " + rom + " records no flash timings"));
        if (times.programTime() == null) {
            throw new IllegalArgumentException(name + ": row " + rom + " records no program time");
        }
        for (Sector sector : flashLayout.sectors()) {
            if (times.sectorErase(sector.size()).isEmpty()) {
                throw new IllegalArgumentException(name + ": row " + rom + " has no erase time for sectors of "
                        + sector.size() + " bytes");
            }
        }
    }

    /** A plain address range. */
    public record Region(long base, int size) {
        public Region {
            if (base < 0 || size <= 0 || base + size > 0x1_0000_0000L) {
                throw new IllegalArgumentException(String.format("bad region 0x%x+%d", base, size));
            }
        }

        public long end() {
            return base + size;
        }

        public boolean contains(long address, long length) {
            return address >= base && length >= 0 && address + length <= end();
        }
    }

    /**
     * SRAM. The first {@code bootloaderReserved} bytes hold the ROM's own variables and stack
     * (AN3156 5.1 note 1); the simulator refuses Read/Write Memory there with errTARGET, as AN2606
     * lists RAM as valid only above them.
     */
    public record RamSpec(long base, int size, int bootloaderReserved) {
        public Region region() {
            return new Region(base, size);
        }

        public Region userRegion() {
            return new Region(base + bootloaderReserved, size - bootloaderReserved);
        }
    }

    /** One option-byte block: readable and writable only as a whole, from its base. */
    public record OptionBlock(long base, byte[] factoryDefaults) {
        public OptionBlock {
            factoryDefaults = factoryDefaults.clone();
        }

        @Override
        public byte[] factoryDefaults() {
            return factoryDefaults.clone();
        }

        public int size() {
            return factoryDefaults.length;
        }

        public Region region() {
            return new Region(base, factoryDefaults.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OptionBlock b && b.base == base && Arrays.equals(b.factoryDefaults, factoryDefaults);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(base) * 31 + Arrays.hashCode(factoryDefaults);
        }

        @Override
        public String toString() {
            return String.format("OptionBlock[0x%08x %s]", base, HexFormat.of().formatHex(factoryDefaults));
        }
    }

    /**
     * Option bytes. The read-protection byte lives at {@code rdpOffset} of the first block;
     * {@code rdpLevel0} there means "not protected", {@code rdpLevel2} (where the family has it)
     * means permanently protected; any other value is level 1.
     */
    public record OptionBytesSpec(List<OptionBlock> blocks, int rdpOffset, int rdpLevel0, int rdpLevel2) {
        public OptionBytesSpec {
            blocks = List.copyOf(blocks);
        }

        public OptionBlock first() {
            return blocks.get(0);
        }

        public long rdpAddress() {
            return first().base() + rdpOffset;
        }

        public Optional<OptionBlock> blockAt(long address) {
            return blocks.stream().filter(b -> b.region().contains(address, 1)).findFirst();
        }
    }

    /** The DfuSe layout of alt setting 0, the internal flash. */
    public MemoryLayout flashLayout() {
        return MemoryLayout.parse(altSettingNames.get(0));
    }

    public List<Sector> flashSectors() {
        return flashLayout().sectors();
    }

    public Region flash() {
        MemoryLayout layout = flashLayout();
        long end = layout.regions().get(layout.regions().size() - 1).end();
        return new Region(layout.start(), (int) (end - layout.start()));
    }

    public DfuFunctionalDescriptor functionalDescriptor() {
        return new DfuFunctionalDescriptor(bmAttributes, detachTimeoutMillis, transferSize, bcdDfuVersion);
    }

    /** Where the ROM reads the chip's 96-bit unique ID from (12 contiguous bytes). */
    public long uidAddress() {
        return rom.uniqueId().word0();
    }

    /** Bytes the flash controller programs at once, at the ROM's parallelism. */
    public int programUnit() {
        return rom.flash().programUnit();
    }

    /** Datasheet flash timings at the ROM's parallelism. */
    public FlashTimes flashTimes() {
        return rom.flash();
    }

    /**
     * The serial string this family's ROM reports for a chip with the given 96-bit unique ID: the
     * family's constant, or 12 upper-case hex digits from 48 of the 96 UID bits (the sum of UID words
     * 0 and 2, then the upper half of word 1), as ST's USB device library and the F4/L4 ROMs do
     * (serials such as {@code 2056316B5652} are this sum of ASCII lot characters and small wafer
     * coordinates).
     */
    public String serialFor(byte[] uid) {
        if (uid == null || uid.length != UID_LENGTH) {
            throw new IllegalArgumentException("a unique ID has 12 bytes");
        }
        if (rom.constantSerial() != null) {
            return rom.constantSerial();
        }
        ByteBuffer b = ByteBuffer.wrap(uid).order(ByteOrder.LITTLE_ENDIAN);
        int w0 = b.getInt(0);
        int w1 = b.getInt(4);
        int w2 = b.getInt(8);
        return String.format("%08X%04X", w0 + w2, w1 >>> 16);
    }

    @Override
    public String toString() {
        return name;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /**
     * STM32F405/407 (bootloader 2.1 of AN3156, bcdDevice 0x2200). Flash timings are the table's: x8
     * parallelism, which the ROM uses whatever the supply (a 2 KiB block takes about 33 ms).
     */
    public static final ChipProfile STM32F407 = new ChipProfile(
            "STM32F407", ST_VENDOR_ID, DFU_PRODUCT_ID, 0x2200,
            "STMicroelectronics", "STM32  BOOTLOADER", RomTable.STM32F2_F4,
            List.of("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
                    "@Option Bytes  /0x1FFFC000/01*016 e",
                    "@OTP Memory /0x1FFF7800/01*512 e,01*016 e",
                    "@Device Feature/0xFFFF0000/01*004 e"),
            2048, ST_ROM_ATTRIBUTES, 255, 0x011A,
            new RamSpec(0x2000_0000L, 128 * 1024, 12 * 1024),
            new Region(0x1FFF_0000L, 30 * 1024),
            Optional.of(new Region(0x1FFF_7800L, 528)),
            new Region(0x1FFF_7A10L, 0x14),
            0x1FFF_7A22L,
            new OptionBytesSpec(List.of(new OptionBlock(0x1FFF_C000L, bytes(
                    0xEC, 0xAA, 0x13, 0x55, 0xFF, 0xFF, 0xFF, 0xFF,
                    0xFF, 0x0F, 0x00, 0xF0, 0xFF, 0xFF, 0xFF, 0xFF))), 1, 0xAA, 0xCC),
            false);

    /**
     * STM32F105/107 connectivity line. A real one reports bcdDevice 0x2200, the product string
     * {@code STM32 0x418 DFU Bootloade} (sic, cut by the ROM) and the constant serial {@code STM32}.
     */
    public static final ChipProfile STM32F107 = new ChipProfile(
            "STM32F107", ST_VENDOR_ID, DFU_PRODUCT_ID, 0x2200,
            "STMicroelectronics", "STM32 0x418 DFU Bootloade", RomTable.STM32F105_F107,
            List.of("@Internal Flash  /0x08000000/128*002Kg",
                    "@Option Bytes  /0x1FFFF800/01*016 e"),
            2048, ST_ROM_ATTRIBUTES, 255, 0x011A,
            new RamSpec(0x2000_0000L, 64 * 1024, 4 * 1024),
            new Region(0x1FFF_B000L, 0x47E0), // the last 32 bytes of the 18 KiB hold the device ID
            Optional.empty(),
            new Region(0x1FFF_F7E0L, 0x14),
            0x1FFF_F7E0L,
            new OptionBytesSpec(List.of(new OptionBlock(0x1FFF_F800L, bytes(
                    0xA5, 0x5A, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00,
                    0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00))), 0, 0xA5, -1),
            true);

    /**
     * STM32L476 (1 MiB, dual bank: 512 pages of 2 KiB). Option bytes of bank 1 at 0x1FFF7800 and of
     * bank 2 at 0x1FFFF800, 40 bytes each (every 32-bit option word followed by its complement).
     */
    public static final ChipProfile STM32L476 = new ChipProfile(
            "STM32L476", ST_VENDOR_ID, DFU_PRODUCT_ID, 0x2200,
            "STMicroelectronics", "STM32  BOOTLOADER", RomTable.STM32L4_G4,
            List.of("@Internal Flash  /0x08000000/0512*0002Kg",
                    "@Option Bytes  /0x1FFF7800/01*040 e/0x1FFFF800/01*040 e",
                    "@OTP Memory /0x1FFF7000/01*0001Ke",
                    "@Device Feature/0xFFFF0000/01*004 e"),
            2048, ST_ROM_ATTRIBUTES, 255, 0x011A,
            new RamSpec(0x2000_0000L, 128 * 1024, 12 * 1024),
            new Region(0x1FFF_0000L, 28 * 1024),
            Optional.of(new Region(0x1FFF_7000L, 1024)),
            new Region(0x1FFF_7590L, 0x52),
            0x1FFF_75E0L,
            new OptionBytesSpec(List.of(
                    new OptionBlock(0x1FFF_7800L, bytes(
                            0xAA, 0xF8, 0xEF, 0xFF, 0x55, 0x07, 0x10, 0x00,   // OPTR
                            0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00,   // PCROP1SR
                            0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,   // PCROP1ER
                            0xFF, 0xFF, 0x00, 0xFF, 0x00, 0x00, 0xFF, 0x00,   // WRP1AR
                            0xFF, 0xFF, 0x00, 0xFF, 0x00, 0x00, 0xFF, 0x00)), // WRP1BR
                    new OptionBlock(0x1FFF_F800L, bytes(
                            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,   // reserved
                            0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00,   // PCROP2SR
                            0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF,   // PCROP2ER
                            0xFF, 0xFF, 0x00, 0xFF, 0x00, 0x00, 0xFF, 0x00,   // WRP2AR
                            0xFF, 0xFF, 0x00, 0xFF, 0x00, 0x00, 0xFF, 0x00))), // WRP2BR
                    0, 0xAA, 0xCC),
            true);

    /**
     * STM32F072xB (crystal-less USB, 128 KiB in 64 pages of 2 KiB). Real ones report the constant serial
     * {@code FFFFFFFEFFFF}. Half-word programming like the F1.
     */
    public static final ChipProfile STM32F072 = new ChipProfile(
            "STM32F072", ST_VENDOR_ID, DFU_PRODUCT_ID, 0x2200,
            "STMicroelectronics", "STM32  BOOTLOADER", RomTable.STM32F0_F3,
            List.of("@Internal Flash  /0x08000000/064*0002Kg",
                    "@Option Bytes  /0x1FFFF800/01*016 e"),
            2048, ST_ROM_ATTRIBUTES, 255, 0x011A,
            new RamSpec(0x2000_0000L, 16 * 1024, 6 * 1024),
            new Region(0x1FFF_C800L, 0x2FAC), // up to the device ID at 0x1FFFF7AC
            Optional.empty(),
            new Region(0x1FFF_F7ACL, 0x22),
            0x1FFF_F7CCL,
            new OptionBytesSpec(List.of(new OptionBlock(0x1FFF_F800L, bytes(
                    0xAA, 0x55, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00,
                    0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00))), 0, 0xAA, 0xCC),
            true);

    /**
     * STM32H743 (2 MiB in two banks of eight 128 KiB sectors; 256-bit flash words with ECC, so a
     * word is programmed once per erase). Flash layout, UID and flash-size addresses from RM0433;
     * the product string, wTransferSize, the RAM the ROM keeps and the option-byte block (FLASH_OPTSR
     * and the words after it, RDP in bits 15:8) are modelled, not taken from a real ROM.
     */
    public static final ChipProfile STM32H743 = new ChipProfile(
            "STM32H743", ST_VENDOR_ID, DFU_PRODUCT_ID, 0x2200,
            "STMicroelectronics", "DFU in FS Mode", RomTable.STM32H7,
            List.of("@Internal Flash   /0x08000000/16*128Kg",
                    "@Option Bytes   /0x5200201C/01*016 e"),
            1024, ST_ROM_ATTRIBUTES, 255, 0x011A,
            new RamSpec(0x2400_0000L, 512 * 1024, 16 * 1024),
            new Region(0x1FF0_0000L, 0x1_E800), // up to the device ID at 0x1FF1E800
            Optional.empty(),
            new Region(0x1FF1_E800L, 0x82),
            0x1FF1_E880L,
            new OptionBytesSpec(List.of(new OptionBlock(0x5200_201CL, bytes(
                    0xF0, 0xAA, 0xC6, 0x13, 0xF0, 0xAA, 0xC6, 0x13,
                    0x00, 0x00, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00))), 1, 0xAA, 0xCC),
            true);

    public static List<ChipProfile> all() {
        return List.of(STM32F407, STM32F107, STM32L476, STM32F072, STM32H743);
    }
}
