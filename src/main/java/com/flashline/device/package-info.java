/**
 * Where boards come from: a {@link com.flashline.device.DeviceSource} watches its ports, reports
 * arrivals and departures to {@link com.flashline.station.PortRegistry} and opens the board on a
 * port for a job. {@link com.flashline.device.UsbDeviceSource} (real hardware through libusb,
 * {@code flashline.usb.enabled}) and {@link com.flashline.device.SimulatedFixture} (simulated
 * STM32 bootloaders, {@code flashline.simulator.enabled}) may run side by side; a port belongs to
 * exactly one of them.
 */
package com.flashline.device;
