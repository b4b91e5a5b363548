package com.flashline.dfu;

import java.time.Duration;

/**
 * The only thing the DFU engine knows about USB: one opened device with a claimed DFU interface,
 * its descriptors, and control transfers on endpoint 0. Implemented by the usb4java adapter for
 * real (and umockdev-emulated) devices and by the in-process STM32 bootloader simulator.
 *
 * <p>Every transfer either completes or throws one of the {@link TransportException} subclasses:
 * {@link DeviceGoneException} when the device disconnected, {@link StallException} when it stalled
 * the request, {@link TransferTimeoutException} when it did not answer in time, and
 * {@link TransportIoException} otherwise. Implementations need not be thread-safe: one job drives
 * one device from one thread.
 */
public interface DfuTransport extends AutoCloseable {

    /** Device descriptor facts and strings, read once when the device was opened. */
    UsbDeviceInfo deviceInfo();

    /** The alternate settings of the DFU interface, with their string descriptors (memory layouts). */
    java.util.List<DfuAltSetting> altSettings();

    /** The DFU functional descriptor of the interface. */
    DfuFunctionalDescriptor functionalDescriptor();

    /** Selects an alternate setting of the DFU interface (standard SET_INTERFACE request). */
    void selectAltSetting(int alternateSetting);

    /**
     * A host-to-device control transfer. {@code data.length} must equal {@code setup.wLength()};
     * a zero-length data stage is an empty array. The caller may reuse {@code data} once the call
     * has returned (the engine refills one buffer block after block), so an implementation that
     * keeps the bytes must copy them.
     */
    void controlOut(ControlSetup setup, byte[] data, Duration timeout);

    /**
     * A device-to-host control transfer of at most {@code setup.wLength()} bytes.
     *
     * @return the bytes the device sent; may be shorter than requested
     */
    byte[] controlIn(ControlSetup setup, Duration timeout);

    /** Releases the interface and the handle. Never throws; a device that is gone is simply forgotten. */
    @Override
    void close();
}
