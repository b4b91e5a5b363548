package com.flashline.usb;

import com.flashline.dfu.UsbDeviceInfo;

/**
 * Told about DFU devices appearing and disappearing on USB ports. Called on the watcher's single
 * dispatch thread, in the order things happened, never on the libusb event thread; an
 * implementation may open the device from {@link #arrived} but should hand long work to its own
 * threads. A device that re-enumerates on the same port (after Leave, read unprotect or an option
 * byte reload) is reported as {@link #removed} followed by {@link #arrived}.
 */
public interface DeviceListener {

    void arrived(UsbDeviceInfo info);

    void removed(String portPath);
}
