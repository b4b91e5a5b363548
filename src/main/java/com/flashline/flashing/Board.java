package com.flashline.flashing;

import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.DfuProtocolException;
import com.flashline.dfu.DfuSeDevice;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.IdleFor;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.MemoryLayoutException;
import com.flashline.dfu.MemoryRegion;
import com.flashline.dfu.Sector;
import com.flashline.dfu.TransferStatistics;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.error.FailureCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The board behind a {@link DeviceConnector}, as one run sees it: the enumeration in use (its
 * transport, the DFU engine on it, the memory layouts of its alt settings), opened again on the
 * same port after each reset, and what those layouts say about an address.
 */
final class Board {

    private static final int FLASH_ATTRIBUTES = MemoryRegion.ERASABLE | MemoryRegion.WRITEABLE;

    private final DeviceConnector connector;
    private final DfuClock clock;
    private final DfuOptions options;
    /** The control transfers of every enumeration this run opened. */
    private final TransferStatistics statistics = new TransferStatistics();

    private DfuTransport transport;
    private DfuSeDevice device;
    private List<MemoryLayout> layouts;

    Board(DeviceConnector connector, DfuClock clock, DfuOptions options) {
        this.connector = connector;
        this.clock = clock;
        this.options = options;
    }

    /** Opens the board, checks that it is a DfuSe bootloader with flash to write, and brings it to dfuIDLE. */
    void open(Phase phase) {
        prepare(connector.connect(options.commandTimeout()), phase);
    }

    /** The engine's bound on a mass erase, for waits that include one. */
    Duration massEraseTimeout() {
        return options.massEraseTimeout();
    }

    /**
     * Closes the enumeration in use after the chip reset, and opens the next one on the same port,
     * waiting up to {@code timeout} for it. Whose chip it is, the caller checks.
     *
     * @throws FlashFailure {@code DEVICE_NOT_BACK} when no board enumerates on the port in time
     */
    void reopen(Duration timeout, Phase phase) {
        close();
        DfuTransport next;
        try {
            next = connector.connect(timeout);
        } catch (DeviceGoneException e) {
            throw new FlashFailure(phase, FailureCode.DEVICE_NOT_BACK, "the board did not come back on its port "
                    + "within " + timeout + " after its reset: " + e.getMessage(), null, false, e);
        }
        prepare(next, phase);
    }

    private void prepare(DfuTransport opened, Phase phase) {
        try {
            DfuFunctionalDescriptor descriptor = opened.functionalDescriptor();
            if (!descriptor.canDownload() || !descriptor.canUpload()) {
                throw unsupported(phase, "the DFU interface cannot "
                        + (descriptor.canDownload() ? "upload" : "download") + " (bmAttributes 0x"
                        + Integer.toHexString(descriptor.bmAttributes()) + ")", null);
            }
            DfuSeDevice engine = new DfuSeDevice(opened, clock, options);
            List<MemoryLayout> found = new ArrayList<>();
            for (DfuAltSetting alt : opened.altSettings()) {
                found.add(alt.layout());
            }
            if (found.stream().flatMap(l -> l.regions().stream())
                    .noneMatch(r -> (r.attributes() & FLASH_ATTRIBUTES) == FLASH_ATTRIBUTES)) {
                throw unsupported(phase, "no alt setting describes erasable, writeable flash: "
                        + opened.altSettings().stream().map(DfuAltSetting::name).toList(), null);
            }
            engine.getCommands();
            engine.ensureIdle(IdleFor.IDLE);
            transport = opened;
            device = engine;
            layouts = List.copyOf(found);
        } catch (MemoryLayoutException e) {
            opened.close();
            throw unsupported(phase, "unreadable memory layout: " + e.getMessage(), e);
        } catch (DfuProtocolException e) {
            opened.close();
            throw unsupported(phase, "not an STM32 DfuSe bootloader: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private static FlashFailure unsupported(Phase phase, String message, Throwable cause) {
        return new FlashFailure(phase, FailureCode.UNSUPPORTED_DEVICE, message, null, false, cause);
    }

    /** Closes the enumeration in use, if any, keeping its transfer counts. */
    void close() {
        if (transport != null) {
            statistics.add(device.statistics());
            transport.close();
            transport = null;
            device = null;
            layouts = null;
        }
    }

    DfuSeDevice device() {
        return device;
    }

    UsbDeviceInfo info() {
        return transport.deviceInfo();
    }

    List<DfuAltSetting> altSettings() {
        return transport.altSettings();
    }

    List<MemoryLayout> layouts() {
        return layouts;
    }

    TransferStatistics statistics() {
        return statistics;
    }

    // ------------------------------------------------------------ what the layouts say

    boolean inFlash(long address, long length) {
        return layouts.stream().anyMatch(l -> l.allows(address, length, FLASH_ATTRIBUTES));
    }

    boolean inWriteableNonOptionMemory(long address, long length) {
        return layouts.stream().filter(l -> !ChipCatalog.isOptionBytesLayout(l))
                .anyMatch(l -> l.allows(address, length, MemoryRegion.WRITEABLE));
    }

    List<MemoryLayout> optionBytesLayouts() {
        return layouts.stream().filter(ChipCatalog::isOptionBytesLayout).toList();
    }

    List<Sector> flashSectors() {
        return layouts.stream().flatMap(l -> l.sectors().stream())
                .filter(s -> (s.attributes() & FLASH_ATTRIBUTES) == FLASH_ATTRIBUTES).toList();
    }

    long flashStart() {
        return flashSectors().stream().mapToLong(Sector::start).min().orElse(DfuSeDevice.DEFAULT_FLASH_START);
    }

    Sector sectorAt(long address) {
        return layouts.stream().map(l -> l.sectorAt(address)).flatMap(Optional::stream).findFirst().orElseThrow();
    }
}
