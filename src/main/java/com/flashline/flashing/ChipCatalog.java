package com.flashline.flashing;

import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.MemoryLayoutException;
import com.flashline.dfu.MemoryRegion;
import com.flashline.dfu.Sector;
import com.flashline.dfu.UsbDeviceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Host-side knowledge of STM32 families (where the 96-bit unique ID lives), recognised from what
 * a system-bootloader ROM reports before any memory is read: the option-byte base address in the
 * alt-setting strings, the internal-flash sector layout and the product string.
 *
 * <p>The built-in entries come from ST's reference manuals ("Unique device ID register" chapters)
 * and AN2606's DFU memory maps; they are independent of the simulator. Families the ROM cannot
 * tell apart from USB alone share an entry when they share the UID address (F2 and F4, L4 and G4,
 * F0 and F3). Families whose UID address depends on a density the ROM does not report (L1) are
 * left out: such a board is identified without a chip UID. Entries added with {@link #with} are
 * tried first, so a station can override or extend the catalogue.
 */
public final class ChipCatalog {

    /** Family names of the built-in entries. */
    public static final String F2_F4 = "STM32F2/F4";
    public static final String F7 = "STM32F74x/75x/76x/77x";
    public static final String F72X = "STM32F72x/73x";
    public static final String F1 = "STM32F105/107";
    public static final String F0_F3 = "STM32F0/F3";
    public static final String L4_G4 = "STM32L4/G4";
    public static final String H7 = "STM32H74x/75x";
    public static final String L0 = "STM32L0";

    private static final Duration MS = Duration.ofMillis(1);

    /*
     * Erase times are the datasheets' typical values (the F2/F4 ones for x32 parallelism, 2.7 to
     * 3.6 V, which the ROM uses); the F0/F1 datasheets give a 20 to 40 ms range, of which the lower
     * end is taken. Families without recorded figures have no EraseTimes: the pipeline then erases
     * every touched sector without looking at it first, as it always did.
     */
    /** DS8626 (STM32F405/407) "Flash memory characteristics"; DS6329 (F205/207) gives the same figures. */
    static final EraseTimes F2_F4_ERASE = new EraseTimes(Map.of(16 * 1024, MS.multipliedBy(250),
            64 * 1024, MS.multipliedBy(550), 128 * 1024, MS.multipliedBy(1000)), MS.multipliedBy(8000));
    /** DS6014 (STM32F105/107): page (2 KiB) and mass erase 20 to 40 ms. */
    static final EraseTimes F1_ERASE = new EraseTimes(Map.of(2048, MS.multipliedBy(20)), MS.multipliedBy(20));
    /** DS9826 (STM32F072) and the F0/F3 datasheets: page (1 or 2 KiB) and mass erase 20 to 40 ms. */
    static final EraseTimes F0_F3_ERASE = new EraseTimes(Map.of(1024, MS.multipliedBy(20), 2048,
            MS.multipliedBy(20)), MS.multipliedBy(20));
    /** DS10198 (STM32L476): page (2 KiB) erase 22.02 ms typ., mass erase 22.13 ms typ.; G4 pages alike. */
    static final EraseTimes L4_G4_ERASE = new EraseTimes(Map.of(2048, Duration.ofNanos(22_020_000), 4096,
            Duration.ofNanos(22_020_000)), Duration.ofNanos(22_130_000));
    /** DS10152 (STM32L053): page (128 bytes) erase 3.2 ms typ.; the ROM's mass erase is not characterised. */
    static final EraseTimes L0_ERASE = new EraseTimes(Map.of(128, Duration.ofNanos(3_200_000)), null);

    private static final List<ChipFamily> STANDARD = List.of(
            // RM0090 / RM0033: UID at 0x1FFF7A10; option bytes at 0x1FFFC000 (AN2606).
            ChipFamily.withOptionBytesAt(F2_F4, UniqueIdLocation.contiguous(0x1FFF_7A10L), 0x1FFF_C000L)
                    .withEraseTimes(F2_F4_ERASE),
            // RM0385 / RM0410: UID at 0x1FF0F420; these parts start their flash with 32 KiB sectors.
            new ChipFamily(F7, UniqueIdLocation.contiguous(0x1FF0_F420L),
                    rom -> rom.hasOptionBytesAt(0x1FFF_0000L) && rom.firstFlashSectorSize() == 32 * 1024),
            // RM0431: UID at 0x1FF07A10; F72x/F73x start their flash with 16 KiB sectors.
            new ChipFamily(F72X, UniqueIdLocation.contiguous(0x1FF0_7A10L),
                    rom -> rom.hasOptionBytesAt(0x1FFF_0000L) && rom.firstFlashSectorSize() == 16 * 1024),
            // RM0008: UID at 0x1FFFF7E8. Of the F1 line only the connectivity line (PID 0x418) has a
            // USB DFU bootloader, and its ROM names that PID in the product string.
            new ChipFamily(F1, UniqueIdLocation.contiguous(0x1FFF_F7E8L),
                    rom -> rom.hasOptionBytesAt(0x1FFF_F800L) && !rom.hasOptionBytesAt(0x1FFF_7800L)
                            && rom.productMentions("0x418"), F1_ERASE),
            // RM0091 / RM0316: UID at 0x1FFFF7AC; same option-byte base as the F1 (and as the second
            // bank of a dual-bank L4, hence the exclusion).
            new ChipFamily(F0_F3, UniqueIdLocation.contiguous(0x1FFF_F7ACL),
                    rom -> rom.hasOptionBytesAt(0x1FFF_F800L) && !rom.hasOptionBytesAt(0x1FFF_7800L)
                            && !rom.productMentions("0x418"), F0_F3_ERASE),
            // RM0351 / RM0432 / RM0440: UID at 0x1FFF7590; option bytes at 0x1FFF7800.
            ChipFamily.withOptionBytesAt(L4_G4, UniqueIdLocation.contiguous(0x1FFF_7590L), 0x1FFF_7800L)
                    .withEraseTimes(L4_G4_ERASE),
            // RM0433: UID at 0x1FF1E800; the flash is made of 128 KiB sectors only.
            new ChipFamily(H7, UniqueIdLocation.contiguous(0x1FF1_E800L),
                    rom -> rom.flashStart() == 0x0800_0000L && rom.allFlashSectorsOfSize(128 * 1024)),
            // RM0367 / RM0377: option bytes at 0x1FF80000, 128-byte pages; the UID's third word is
            // not next to the second (0x1FF80050, 0x1FF80054, 0x1FF80064).
            new ChipFamily(L0, new UniqueIdLocation(0x1FF8_0050L, 0x1FF8_0054L, 0x1FF8_0064L),
                    rom -> rom.hasOptionBytesAt(0x1FF8_0000L) && rom.allFlashSectorsOfSize(128), L0_ERASE));

    private final List<ChipFamily> families;

    /** The built-in catalogue. */
    public ChipCatalog() {
        this(STANDARD);
    }

    /** A catalogue of exactly these families, tried in order. */
    public ChipCatalog(List<ChipFamily> families) {
        this.families = List.copyOf(families);
    }

    public static ChipCatalog standard() {
        return new ChipCatalog();
    }

    /** This catalogue with {@code extra} entries tried first (to override or extend it). */
    public ChipCatalog with(ChipFamily... extra) {
        List<ChipFamily> all = new ArrayList<>(List.of(extra));
        all.addAll(families);
        return new ChipCatalog(all);
    }

    public List<ChipFamily> families() {
        return families;
    }

    /** The first family that recognises the ROM, or empty when none does. */
    public Optional<ChipFamily> recognise(RomReport rom) {
        Objects.requireNonNull(rom, "rom");
        return families.stream().filter(f -> f.recognises().test(rom)).findFirst();
    }

    public Optional<ChipFamily> recognise(UsbDeviceInfo device, List<DfuAltSetting> altSettings) {
        return recognise(new RomReport(device, altSettings));
    }

    /**
     * Where a family keeps the three 32-bit words of its 96-bit unique ID. Most families store them
     * one after the other; L0/L1 do not.
     */
    public record UniqueIdLocation(long word0, long word1, long word2) {

        public static UniqueIdLocation contiguous(long base) {
            return new UniqueIdLocation(base, base + 4, base + 8);
        }

        public boolean isContiguous() {
            return word1 == word0 + 4 && word2 == word1 + 4;
        }

        /** The lowest address of the three words. */
        public long firstAddress() {
            return Math.min(word0, Math.min(word1, word2));
        }

        /** Bytes from {@link #firstAddress()} to the end of the highest word: one read covers all three. */
        public int span() {
            return (int) (Math.max(word0, Math.max(word1, word2)) + 4 - firstAddress());
        }

        /** The 12 UID bytes (word 0 first, each word as stored) picked out of a read of {@link #span()} bytes. */
        public byte[] extract(byte[] spanBytes) {
            if (spanBytes.length != span()) {
                throw new IllegalArgumentException("expected " + span() + " bytes, got " + spanBytes.length);
            }
            byte[] uid = new byte[12];
            long[] words = {word0, word1, word2};
            for (int i = 0; i < 3; i++) {
                System.arraycopy(spanBytes, (int) (words[i] - firstAddress()), uid, 4 * i, 4);
            }
            return uid;
        }

        @Override
        public String toString() {
            return isContiguous() ? String.format("0x%08X", word0)
                    : String.format("0x%08X/0x%08X/0x%08X", word0, word1, word2);
        }
    }

    /**
     * One entry: a family name, where its UID lives, how to tell its ROM, and its typical erase times
     * ({@code null} when not recorded).
     */
    public record ChipFamily(String name, UniqueIdLocation uniqueId, Predicate<RomReport> recognises,
            EraseTimes eraseTimes) {

        public ChipFamily {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uniqueId, "uniqueId");
            Objects.requireNonNull(recognises, "recognises");
        }

        /** A family without recorded erase times. */
        public ChipFamily(String name, UniqueIdLocation uniqueId, Predicate<RomReport> recognises) {
            this(name, uniqueId, recognises, null);
        }

        /** A family recognised by an option-byte alt setting starting at {@code optionBytesBase}. */
        public static ChipFamily withOptionBytesAt(String name, UniqueIdLocation uniqueId, long optionBytesBase) {
            return new ChipFamily(name, uniqueId, rom -> rom.hasOptionBytesAt(optionBytesBase));
        }

        public ChipFamily withEraseTimes(EraseTimes times) {
            return new ChipFamily(name, uniqueId, recognises, times);
        }

        public Optional<EraseTimes> knownEraseTimes() {
            return Optional.ofNullable(eraseTimes);
        }
    }

    /**
     * Typical erase times of a family's flash, from its datasheet: what the pipeline weighs against
     * reading a sector (to skip erasing it) and against a mass erase.
     *
     * @param sectorEraseBySize typical erase time of a sector (page) by its size in bytes
     * @param massErase         typical mass-erase time; {@code null} when not characterised (the
     *                          pipeline then never chooses a mass erase on its own)
     */
    public record EraseTimes(Map<Integer, Duration> sectorEraseBySize, Duration massErase) {

        public EraseTimes {
            sectorEraseBySize = Map.copyOf(sectorEraseBySize);
        }

        public Optional<Duration> sectorErase(int sectorSize) {
            return Optional.ofNullable(sectorEraseBySize.get(sectorSize));
        }

        public Optional<Duration> knownMassErase() {
            return Optional.ofNullable(massErase);
        }
    }

    /**
     * What a ROM reports about itself over USB: device descriptor strings and the alt-setting names
     * (DfuSe layouts). Layout strings that do not parse are ignored here.
     */
    public record RomReport(UsbDeviceInfo device, List<DfuAltSetting> altSettings) {

        public RomReport {
            Objects.requireNonNull(device, "device");
            altSettings = List.copyOf(altSettings);
        }

        /** Parsed layouts, in alt-setting order, skipping names that are not DfuSe layouts. */
        public List<MemoryLayout> layouts() {
            List<MemoryLayout> layouts = new ArrayList<>();
            for (DfuAltSetting alt : altSettings) {
                try {
                    layouts.add(alt.layout());
                } catch (MemoryLayoutException ignored) {
                    // a name that is no layout says nothing about the family
                }
            }
            return layouts;
        }

        /** The internal-flash layout: the first one named "...Flash...", else the first layout. */
        public Optional<MemoryLayout> internalFlash() {
            List<MemoryLayout> layouts = layouts();
            return layouts.stream().filter(l -> l.name().toLowerCase(Locale.ROOT).contains("flash")).findFirst()
                    .or(() -> layouts.stream().findFirst());
        }

        /** Start addresses of the regions of every option-byte layout. */
        public List<Long> optionBytesBases() {
            return layouts().stream().filter(ChipCatalog::isOptionBytesLayout)
                    .flatMap(l -> l.regions().stream()).map(MemoryRegion::start).toList();
        }

        public boolean hasOptionBytesAt(long base) {
            return optionBytesBases().contains(base);
        }

        public boolean productMentions(String text) {
            String product = device.product();
            return product != null && product.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
        }

        public long flashStart() {
            return internalFlash().map(MemoryLayout::start).orElse(-1L);
        }

        /** Size of the lowest internal-flash sector, or 0 without a flash layout. */
        public int firstFlashSectorSize() {
            return internalFlash().flatMap(l -> l.sectorAt(l.start())).map(Sector::size).orElse(0);
        }

        public boolean allFlashSectorsOfSize(int size) {
            Optional<MemoryLayout> flash = internalFlash();
            return flash.isPresent() && !flash.get().regions().isEmpty()
                    && flash.get().regions().stream().allMatch(r -> r.sectorSize() == size);
        }
    }

    /** Whether a layout describes an option-byte area (ROMs name it "Option Bytes"). */
    static boolean isOptionBytesLayout(MemoryLayout layout) {
        return layout.name().toLowerCase(Locale.ROOT).contains("option");
    }
}
