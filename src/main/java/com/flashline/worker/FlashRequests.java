package com.flashline.worker;

import com.flashline.catalog.Firmware;
import com.flashline.catalog.FirmwareCatalog;
import com.flashline.catalog.Recipe;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareReader;
import com.flashline.firmware.ReadOptions;
import com.flashline.flashing.FlashRequest;
import com.flashline.flashing.OptionBytesBlock;
import com.flashline.flashing.SerialRecord;
import com.flashline.flashing.SerialRecordSource;
import com.flashline.job.JobSpec;
import com.flashline.serial.AllocatedSerial;
import com.flashline.serial.SerialAllocator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the pipeline's request for a job from its recipe and firmware. Parsed images are cached by
 * firmware id (a stored firmware never changes: its id names its content), the most recently used
 * {@value #CACHED_IMAGES} of them.
 */
public class FlashRequests {

    static final int CACHED_IMAGES = 16;

    private final FirmwareCatalog catalog;
    private final SerialAllocator serials;
    private final Map<Long, FirmwareImage> images = new LinkedHashMap<>(CACHED_IMAGES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, FirmwareImage> eldest) {
            return size() > CACHED_IMAGES;
        }
    };

    public FlashRequests(FirmwareCatalog catalog, SerialAllocator serials) {
        this.catalog = catalog;
        this.serials = serials;
    }

    public FlashRequest build(JobSpec spec) {
        Recipe recipe = spec.recipe();
        SerialRecordSource serial = recipe.serial() == null ? null : (chipUid, usbSerial) -> {
            AllocatedSerial allocated = serials.allocate(recipe.id(), chipUid, spec.jobId(), spec.port(), usbSerial,
                    spec.startedBy());
            return new SerialRecord(allocated.address(), allocated.bytes(), allocated.text());
        };
        OptionBytesBlock optionBytes = recipe.optionBytes() == null ? null
                : new OptionBytesBlock(recipe.optionBytes().address(), recipe.optionBytes().bytes());
        return new FlashRequest(image(spec.firmware()), recipe.eraseMode(), serial, optionBytes,
                recipe.allowUnprotect(), recipe.leave());
    }

    /** The parsed image of a stored firmware (parsed once; the upload already proved it parses). */
    public FirmwareImage image(Firmware firmware) {
        synchronized (images) {
            FirmwareImage cached = images.get(firmware.id());
            if (cached != null) {
                return cached;
            }
        }
        ReadOptions options = firmware.baseAddress() == null ? ReadOptions.defaults()
                : ReadOptions.defaults().withBaseAddress(firmware.baseAddress());
        FirmwareImage image = FirmwareReader.read(catalog.content(firmware.id()), firmware.fileName(), options);
        synchronized (images) {
            images.put(firmware.id(), image);
        }
        return image;
    }
}
