package com.flashline.flashing;

import com.flashline.dfu.DfuSeDevice;
import com.flashline.dfu.Sector;
import com.flashline.dfu.TransferProgress;
import com.flashline.error.FailureCode;

/**
 * SERIALIZE: the per-unit serial record. It comes after VERIFY passed, so a board that fails
 * earlier spends no serial number.
 */
final class Serialization {

    /**
     * Allocates the chip's serial record, writes it (erasing its sector first unless ERASE already
     * prepared it) and reads it back.
     */
    void writeSerialRecord(FlashRun run) {
        DeviceIdentity identity = run.identity();
        if (identity.chipUid() == null) {
            // Serial numbers are idempotent per chip unique ID; without one a re-flash could not
            // get its number back, so no number is handed out.
            throw run.fail(FailureCode.SERIAL_SOURCE_FAILED, "a serial record needs the chip unique ID, "
                    + "which could not be read from this device (unknown family or refused address)");
        }
        SerialRecord record;
        try {
            record = run.request().serial().serialFor(identity.chipUid(), identity.usbSerial());
        } catch (RuntimeException e) {
            throw run.fail(FailureCode.SERIAL_SOURCE_FAILED, "no serial record: " + e.getMessage(), e);
        }
        if (record == null || record.bytes().length == 0) {
            throw run.fail(FailureCode.SERIAL_INVALID, "the serial source returned no bytes to write");
        }
        byte[] bytes = record.bytes();
        WritePlan.Run part = WritePlan.padded(record.address(), bytes, WritePlan.PROGRAM_ALIGNMENT);
        Board board = run.board();
        boolean flash = board.inFlash(part.address(), part.length());
        if (!flash && !board.inWriteableNonOptionMemory(part.address(), part.length())) {
            throw run.fail(FailureCode.SERIAL_INVALID, String.format("the serial record (%d bytes at 0x%08X) is not "
                    + "in the device's flash or OTP", bytes.length, record.address()));
        }
        if (run.plan().overlaps(part.address(), part.end())) {
            throw run.fail(FailureCode.SERIAL_INVALID, String.format("the serial record (%d bytes at 0x%08X) shares "
                    + "%d-byte program units with the image", bytes.length, record.address(),
                    WritePlan.PROGRAM_ALIGNMENT));
        }
        DfuSeDevice device = run.device();
        if (flash && !run.flashBlank()) {
            for (long at = part.address(); at < part.end(); ) {
                Sector sector = board.sectorAt(at);
                if (run.prepare(sector)) {
                    device.eraseSector(sector.start());
                    run.erased(sector.size());
                }
                at = sector.end();
            }
        }
        device.write(part.address(), part.data(), 0, part.length(), TransferProgress.NONE, run.cancelled());
        run.written(part.length());
        run.verified(Programming.readBackAndCompare(run, part, 0, part.length()));
        run.serialWritten(record);
    }
}
