package com.flashline.worker;

import com.flashline.catalog.FirmwareImages;
import com.flashline.catalog.Recipe;
import com.flashline.flashing.FlashRequest;
import com.flashline.flashing.OptionBytesBlock;
import com.flashline.flashing.SerialRecord;
import com.flashline.flashing.SerialRecordSource;
import com.flashline.job.JobSpec;
import com.flashline.serial.AllocatedSerial;
import com.flashline.serial.SerialAllocator;
import com.flashline.serial.SerialSequence;

/** Builds the pipeline's request for a job from its recipe and firmware. */
public class FlashRequests {

    private final FirmwareImages images;
    private final SerialAllocator serials;

    public FlashRequests(FirmwareImages images, SerialAllocator serials) {
        this.images = images;
        this.serials = serials;
    }

    public FlashRequest build(JobSpec spec) {
        Recipe recipe = spec.recipe();
        SerialRecordSource serial = recipe.serialSequence().map(sequence -> serialSource(sequence, spec)).orElse(null);
        OptionBytesBlock optionBytes = recipe.optionBytes() == null ? null
                : new OptionBytesBlock(recipe.optionBytes().address(), recipe.optionBytes().bytes());
        return new FlashRequest(images.image(spec.firmware()), recipe.eraseMode(), serial, optionBytes,
                recipe.allowUnprotect(), recipe.leave());
    }

    private SerialRecordSource serialSource(SerialSequence sequence, JobSpec spec) {
        return (chipUid, usbSerial) -> {
            AllocatedSerial allocated = serials.allocate(sequence, chipUid, spec.jobId(), spec.port(), usbSerial,
                    spec.startedBy());
            return new SerialRecord(allocated.address(), allocated.bytes(), allocated.text());
        };
    }
}
