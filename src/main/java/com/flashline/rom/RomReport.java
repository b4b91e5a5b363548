package com.flashline.rom;

import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.MemoryLayoutException;
import com.flashline.dfu.MemoryRegion;
import com.flashline.dfu.Sector;
import com.flashline.dfu.UsbDeviceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a ROM reports about itself over USB before any memory is read: the device descriptor (ids,
 * bcdDevice, strings) and the alt-setting names (DfuSe layouts). Layout strings that do not parse
 * are ignored here.
 */
public record RomReport(UsbDeviceInfo device, List<DfuAltSetting> altSettings) {

    public RomReport {
        Objects.requireNonNull(device, "device");
        altSettings = List.copyOf(altSettings);
    }

    /** Whether a layout describes an option-byte area (ROMs name it "Option Bytes"). */
    public static boolean isOptionBytesLayout(MemoryLayout layout) {
        return layout.name().toLowerCase(Locale.ROOT).contains("option");
    }

    public boolean isStBootloader() {
        return device.vendorId() == UsbDeviceInfo.ST_VENDOR_ID && device.productId() == UsbDeviceInfo.ST_DFU_PRODUCT_ID;
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
        return layouts().stream().filter(RomReport::isOptionBytesLayout)
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
