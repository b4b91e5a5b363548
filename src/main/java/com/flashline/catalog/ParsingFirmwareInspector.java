package com.flashline.catalog;

import com.flashline.firmware.FirmwareFormatException;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.ReadOptions;

/** {@link FirmwareInspector} backed by the firmware library's {@link FirmwareReader}. */
class ParsingFirmwareInspector implements FirmwareInspector {

    @Override
    public InspectedFirmware inspect(byte[] content, String fileName, Long baseAddress) {
        ReadOptions options = baseAddress == null ? ReadOptions.defaults() : ReadOptions.defaults().withBaseAddress(baseAddress);
        FirmwareImage image;
        try {
            image = FirmwareReader.read(content, fileName, options);
        } catch (FirmwareFormatException e) {
            String location = e.line().isPresent() ? "line " + e.line().getAsInt()
                    : e.offset().isPresent() ? "offset 0x" + Long.toHexString(e.offset().getAsLong()) : null;
            throw new FirmwareRejectedException(e.code().name(), e.getMessage(), location);
        }
        return new InspectedFirmware(image.format().name(), image.contentSha256(),
                image.segments().stream().map(s -> new FirmwareSegment(s.address(), s.length())).toList());
    }
}
