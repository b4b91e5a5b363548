package com.flashline.station;

import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.UsbDeviceInfo;
import java.time.Instant;
import java.util.List;

/**
 * What the device watcher knows of an attached DFU device.
 *
 * @param memoryLayouts one per DfuSe alternate setting (internal flash, option bytes, ...)
 * @param chipUid       the 96-bit unique ID in hex once a job has read it, else null
 */
public record DeviceSnapshot(UsbDeviceInfo usb, List<MemoryLayout> memoryLayouts, String chipUid,
        Instant arrivedAt) {

    public DeviceSnapshot {
        memoryLayouts = memoryLayouts == null ? List.of() : List.copyOf(memoryLayouts);
    }

    public DeviceSnapshot withChipUid(String uid) {
        return new DeviceSnapshot(usb, memoryLayouts, uid, arrivedAt);
    }
}
