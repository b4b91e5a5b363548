package com.flashline.flashing;

import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.rom.FlashTimes;
import com.flashline.rom.RomBehaviour;
import com.flashline.rom.RomReport;
import com.flashline.rom.RomTable;
import com.flashline.rom.UniqueIdLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's view of the ROM behaviour table ({@link RomTable}): which family a board's ROM belongs
 * to, where that family keeps the chip's unique ID and its datasheet erase times, recognised from
 * what the ROM reports before any memory is read. Only families whose UID address the host can know
 * count; a board of any other family is identified without a chip UID.
 */
public final class ChipCatalog {

    /** Family names of the built-in rows, as jobs record them. */
    public static final String F2_F4 = RomTable.STM32F2_F4.family();
    public static final String F7 = RomTable.STM32F7.family();
    public static final String F72X = RomTable.STM32F72X.family();
    public static final String F1 = RomTable.STM32F105_F107.family();
    public static final String F0_F3 = RomTable.STM32F0_F3.family();
    public static final String L4_G4 = RomTable.STM32L4_G4.family();
    public static final String H7 = RomTable.STM32H7.family();
    public static final String L0 = RomTable.STM32L0.family();

    private final RomTable roms;

    /** The built-in table. */
    public ChipCatalog() {
        this(RomTable.standard());
    }

    public ChipCatalog(RomTable roms) {
        this.roms = Objects.requireNonNull(roms, "roms");
    }

    public static ChipCatalog standard() {
        return new ChipCatalog();
    }

    /** This catalogue with {@code extra} rows tried first (to override or extend it). */
    public ChipCatalog with(RomBehaviour... extra) {
        return new ChipCatalog(roms.with(extra));
    }

    /** The families whose unique ID the host can read, in the order they are tried. */
    public List<ChipFamily> families() {
        return roms.rows().stream().filter(row -> row.uniqueId() != null).map(ChipFamily::new).toList();
    }

    /** The family of the first row that recognises the ROM, or empty when none does or it has no known UID address. */
    public Optional<ChipFamily> recognise(RomReport rom) {
        return roms.recognise(rom).filter(row -> row.uniqueId() != null).map(ChipFamily::new);
    }

    public Optional<ChipFamily> recognise(UsbDeviceInfo device, List<DfuAltSetting> altSettings) {
        return recognise(new RomReport(device, altSettings));
    }

    /** A recognised family: its row of the ROM table, seen as the pipeline uses it. */
    public record ChipFamily(RomBehaviour rom) {

        public ChipFamily {
            Objects.requireNonNull(rom.uniqueId(), "a chip family needs its unique-ID address");
        }

        public String name() {
            return rom.family();
        }

        public UniqueIdLocation uniqueId() {
            return rom.uniqueId();
        }

        /** The family's datasheet erase times, if recorded. */
        public Optional<FlashTimes> knownEraseTimes() {
            return rom.knownFlash();
        }
    }

    /** Whether a layout describes an option-byte area (ROMs name it "Option Bytes"). */
    static boolean isOptionBytesLayout(MemoryLayout layout) {
        return RomReport.isOptionBytesLayout(layout);
    }
}
