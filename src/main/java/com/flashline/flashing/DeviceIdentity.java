package com.flashline.flashing;

/**
 * Who the board is. The chip unique ID (96 bits, read from memory, as 24 hex digits) identifies the
 * unit; the USB serial string is recorded beside it but never trusted alone, because ROMs derive
 * it from 48 of the 96 bits and some report a constant.
 *
 * @param chipUid  24 hex digits, or {@code null} when the chip family is unknown and the UID address with it
 */
public record DeviceIdentity(String portPath, String usbSerial, String chipUid, String chipFamily,
        String bootloaderVersion) {
}
