package com.flashline.dfu;

/**
 * What the host knows of a DFU device from its device descriptor, its strings and where it is
 * plugged. The port path ({@code 1-4.2}: bus, then the hub port chain) is the fixture slot's stable
 * identity; the serial string is recorded but never trusted alone (STM32 ROMs derive it from 48 of
 * the 96 unique-ID bits, and some report a constant).
 */
public record UsbDeviceInfo(int vendorId, int productId, int bcdDevice, String manufacturer,
        String product, String serialNumber, String portPath) {

    public static final int ST_VENDOR_ID = 0x0483;
    public static final int ST_DFU_PRODUCT_ID = 0xDF11;

    /** The ST bootloader version from the MSB of bcdDevice (AN3156 section 1): 0x2000 is "2.0". */
    public String bootloaderVersion() {
        return ((bcdDevice >> 12) & 0xF) + "." + ((bcdDevice >> 8) & 0xF);
    }

    public String vidPid() {
        return String.format("%04x:%04x", vendorId, productId);
    }
}
