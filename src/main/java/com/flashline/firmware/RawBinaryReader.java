package com.flashline.firmware;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A raw memory image. It carries no address, so the caller supplies one. A trailing DFU suffix
 * (as {@code dfu-suffix -a} writes it) is recognised by its "UFD" signature and length byte,
 * its CRC checked, and it is stripped; the USB ids it names are kept.
 */
final class RawBinaryReader {

    private static final FirmwareFormat FORMAT = FirmwareFormat.BIN;

    private RawBinaryReader() {
    }

    static ParsedImage read(byte[] content, OptionalLong baseAddress, FirmwareLimits limits) {
        Optional<DfuSuffix> suffix = Optional.empty();
        int dataLength = content.length;
        if (DfuSuffixes.present(content)) {
            suffix = Optional.of(DfuSuffixes.verify(content, FORMAT, FirmwareErrorCode.DFU_SUFFIX_CRC));
            dataLength -= DfuSuffixes.LENGTH;
        }
        if (baseAddress.isEmpty()) {
            throw FirmwareFormatException.general(FirmwareErrorCode.BIN_BASE_ADDRESS_MISSING, FORMAT,
                    "a raw binary has no addresses; give the base address to load it at");
        }
        SegmentCollector collector = new SegmentCollector(FORMAT, limits, false);
        collector.add(baseAddress.getAsLong(), content, 0, dataLength, 0);
        return new ParsedImage(collector.finish(), OptionalLong.empty(), suffix);
    }
}
