package com.flashline.flashing;

/**
 * Hands out the serial record for a chip. Called in the SERIALIZE phase with the chip unique ID
 * read in IDENTIFY; must be idempotent per UID (a re-flashed chip keeps its number).
 */
@FunctionalInterface
public interface SerialRecordSource {

    SerialRecord serialFor(String chipUid, String usbSerial);
}
