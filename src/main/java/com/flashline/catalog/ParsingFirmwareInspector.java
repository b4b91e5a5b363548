package com.flashline.catalog;

import com.flashline.firmware.FirmwareFormatException;
import com.flashline.firmware.FirmwareImage;

/**
 * {@link FirmwareInspector} that reads an upload through {@link FirmwareImages}, as the stored
 * firmware will be read when it is flashed.
 */
class ParsingFirmwareInspector implements FirmwareInspector {

    @Override
    public InspectedFirmware inspect(byte[] content, String fileName, Long baseAddress) {
        FirmwareImage image;
        try {
            image = FirmwareImages.read(content, fileName, baseAddress);
        } catch (FirmwareFormatException e) {
            String location = e.line().isPresent() ? "line " + e.line().getAsInt()
                    : e.offset().isPresent() ? "offset 0x" + Long.toHexString(e.offset().getAsLong()) : null;
            throw new FirmwareRejectedException(e.code().name(), e.getMessage(), location);
        }
        return new InspectedFirmware(image.format().name(), image.contentSha256(),
                image.segments().stream().map(s -> new FirmwareSegment(s.address(), s.length())).toList());
    }
}
