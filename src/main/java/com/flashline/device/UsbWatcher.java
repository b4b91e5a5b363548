package com.flashline.device;

import com.flashline.dfu.DfuTransport;
import com.flashline.usb.DeviceListener;
import com.flashline.usb.UsbDeviceWatcher;
import com.flashline.usb.UsbStatus;

/** What {@link UsbDeviceSource} needs of a {@link UsbDeviceWatcher}; a seam for tests without libusb. */
public interface UsbWatcher extends AutoCloseable {

    UsbStatus status();

    DfuTransport open(String portPath);

    @Override
    void close();

    /** Starts a watcher; {@link #LIBUSB} is the real one. */
    @FunctionalInterface
    interface Factory {
        UsbWatcher start(UsbDeviceWatcher.Settings settings, DeviceListener listener);

        Factory LIBUSB = (settings, listener) -> {
            UsbDeviceWatcher watcher = UsbDeviceWatcher.start(settings, listener);
            return new UsbWatcher() {
                @Override
                public UsbStatus status() {
                    return watcher.status();
                }

                @Override
                public DfuTransport open(String portPath) {
                    return watcher.open(portPath);
                }

                @Override
                public void close() {
                    watcher.close();
                }
            };
        };
    }
}
