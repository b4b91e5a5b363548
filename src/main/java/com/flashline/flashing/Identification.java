package com.flashline.flashing;

import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.DfuStatusException;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.TransferProgress;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.error.FailureCode;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareValidationException;
import com.flashline.firmware.FirmwareValidator;
import com.flashline.firmware.Segment;
import com.flashline.rom.UniqueIdLocation;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * IDENTIFY: how the engine polls the ROM, the chip family, its unique ID and whether it is
 * read-protected, then the host-side checks of the request against the device, before anything on
 * it changes.
 */
final class Identification {

    private static final HexFormat UID_HEX = HexFormat.of().withUpperCase();

    private final ChipCatalog chips;

    Identification(ChipCatalog chips) {
        this.chips = chips;
    }

    void identify(FlashRun run) {
        run.polledWith(run.device().pollPolicy());
        Board board = run.board();
        UsbDeviceInfo info = board.info();
        ChipCatalog.ChipFamily family = chips.recognise(info, board.altSettings()).orElse(null);
        String uid = null;
        DfuStatusException protection = null;
        try {
            if (family != null) {
                uid = readUidIfTheRomAllows(run, family);
            }
            if (uid == null) {
                // Without a UID, read two flash bytes to learn whether the chip is protected.
                run.device().read(board.flashStart(), new byte[2], 0, 2, TransferProgress.NONE, run.cancelled());
            }
        } catch (DfuStatusException e) {
            if (e.status() != DfuStatusCode.ERR_VENDOR) {
                throw e;
            }
            protection = e;
        }
        run.identified(family, new DeviceIdentity(info.portPath(), info.serialNumber(), uid,
                family == null ? null : family.name(), info.bootloaderVersion()), protection != null);
        checkRequestFits(run);
        if (run.readProtected() && !run.request().allowUnprotect()) {
            throw run.fail(FailureCode.READ_PROTECTED, "the chip is read-protected (the ROM answers reads with "
                    + "errVENDOR) and the request does not allow unprotecting it, which would erase it", protection);
        }
    }

    /**
     * The UID, or {@code null} when this ROM refuses reads of the UID address (errTARGET): some
     * bootloaders do not list it among the readable areas. The board is then keyed by port and
     * USB serial only, which the record shows. errVENDOR (read protection) is passed on.
     */
    static String readUidIfTheRomAllows(FlashRun run, ChipCatalog.ChipFamily family) {
        try {
            return readUid(run, family);
        } catch (DfuStatusException e) {
            if (e.status() == DfuStatusCode.ERR_TARGET) {
                return null;
            }
            throw e;
        }
    }

    /** The chip's unique ID as upper-case hex, read from where the family keeps it. */
    static String readUid(FlashRun run, ChipCatalog.ChipFamily family) {
        UniqueIdLocation location = family.uniqueId();
        byte[] span = new byte[location.span()];
        run.device().read(location.firstAddress(), span, 0, span.length, TransferProgress.NONE, run.cancelled());
        return UID_HEX.formatHex(location.extract(span));
    }

    /** Host-side checks of the request against the device, before anything on it changes. */
    private static void checkRequestFits(FlashRun run) {
        Board board = run.board();
        FirmwareImage image = run.request().image();
        try {
            FirmwareValidator.validate(image, board.layouts());
        } catch (FirmwareValidationException e) {
            throw run.fail(FailureCode.IMAGE_OUTSIDE_DEVICE, e.getMessage(), e);
        }
        List<MemoryLayout> optionBytes = board.optionBytesLayouts();
        for (Segment segment : image.segments()) {
            Optional<MemoryLayout> options = optionBytes.stream()
                    .filter(l -> l.regions().stream().anyMatch(
                            r -> r.start() < segment.end() && segment.address() < r.end()))
                    .findFirst();
            if (options.isPresent()) {
                throw run.fail(FailureCode.OPTION_BYTES_IN_IMAGE, String.format("the image has %d bytes at 0x%08X in "
                        + "the option bytes (%s); option bytes are programmed as one block from "
                        + "FlashRequest.optionBytes, not from the image", segment.length(), segment.address(),
                        options.get()));
            }
            if (!board.inFlash(segment.address(), segment.length())) {
                throw run.fail(FailureCode.IMAGE_OUTSIDE_DEVICE, String.format("the image has %d bytes at 0x%08X "
                        + "outside the internal flash; only flash is written from an image", segment.length(),
                        segment.address()));
            }
        }
        OptionBytesBlock block = run.request().optionBytes();
        if (block != null) {
            int length = block.bytes().length;
            boolean matches = optionBytes.stream().flatMap(l -> l.sectors().stream())
                    .anyMatch(s -> s.start() == block.address() && s.size() == length);
            if (!matches || length > run.device().transferSize()) {
                throw run.fail(FailureCode.OPTION_BYTES_INVALID, String.format("an option-byte block of %d bytes at "
                        + "0x%08X is not one of the device's option-byte blocks %s", length, block.address(),
                        optionBytes));
            }
        }
    }
}
