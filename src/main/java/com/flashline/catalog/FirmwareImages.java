package com.flashline.catalog;

import com.flashline.firmware.FirmwareFormat;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.ReadOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Turns firmware files into the images the pipeline writes: the one place that knows how the
 * catalog's file name, format and base address become the reader's options. An upload is read
 * with its format detected; a stored firmware is read again with the format it was stored with,
 * so that a later change in format detection cannot change what an existing firmware flashes.
 *
 * <p>Images of stored firmware are cached by id, the most recently used {@value #CACHED_IMAGES}
 * of them: a stored firmware never changes, its id names its content.
 */
@Component
public class FirmwareImages {

    static final int CACHED_IMAGES = 16;

    private final FirmwareCatalog catalog;
    private final Map<Long, FirmwareImage> images = new LinkedHashMap<>(CACHED_IMAGES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, FirmwareImage> eldest) {
            return size() > CACHED_IMAGES;
        }
    };

    FirmwareImages(FirmwareCatalog catalog) {
        this.catalog = catalog;
    }

    /** The image of a stored firmware (parsed once; the upload already proved it parses). */
    public FirmwareImage image(Firmware firmware) {
        synchronized (images) {
            FirmwareImage cached = images.get(firmware.id());
            if (cached != null) {
                return cached;
            }
        }
        FirmwareImage image = read(firmware, catalog.content(firmware.id()));
        synchronized (images) {
            images.put(firmware.id(), image);
        }
        return image;
    }

    /**
     * Reads an uploaded file.
     *
     * @param baseAddress load address for raw binaries; null for self-locating formats
     * @throws com.flashline.firmware.FirmwareFormatException when the file is malformed
     */
    static FirmwareImage read(byte[] content, String fileName, Long baseAddress) {
        return FirmwareReader.read(content, fileName, options(baseAddress));
    }

    /** Reads the content of a stored firmware as it was read when it was uploaded. */
    static FirmwareImage read(Firmware stored, byte[] content) {
        ReadOptions options = options(stored.baseAddress()).withFormat(FirmwareFormat.valueOf(stored.format()));
        return FirmwareReader.read(content, stored.fileName(), options);
    }

    private static ReadOptions options(Long baseAddress) {
        return baseAddress == null ? ReadOptions.defaults() : ReadOptions.defaults().withBaseAddress(baseAddress);
    }
}
