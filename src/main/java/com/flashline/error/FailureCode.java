package com.flashline.error;

/**
 * Why a job did not pass: the one list of job failure codes. The pipeline, the DFU engine's
 * exceptions, the worker and the job records use these constants; the database column, the REST
 * JSON and the audit text hold {@link #name()}, so names are part of the API: only ever add to
 * this list, never rename.
 */
public enum FailureCode {

    // The pipeline's own checks
    /** A byte read back after writing differs from the byte written. */
    VERIFY_MISMATCH("Read-back differs from what was written"),
    /** The chip is read-protected and the request does not allow unprotecting (erasing) it. */
    READ_PROTECTED("Chip is read-protected and unprotecting was not allowed"),
    /** The image has bytes outside the device's internal flash. */
    IMAGE_OUTSIDE_DEVICE("Image does not fit the device's flash"),
    /** The image has bytes in the option bytes, which come as their own block. */
    OPTION_BYTES_IN_IMAGE("Image writes option bytes"),
    /** The option-byte block is not one of the device's option-byte blocks. */
    OPTION_BYTES_INVALID("Option-byte block does not match the device"),
    /** The serial record is empty, outside flash and OTP, or shares program units with the image. */
    SERIAL_INVALID("Serial record cannot be written"),
    /** No serial record could be had for the chip (no unique ID, or the source failed). */
    SERIAL_SOURCE_FAILED("No serial record for the chip"),
    /** The device is not an STM32 DfuSe bootloader the pipeline can flash. */
    UNSUPPORTED_DEVICE("Device is not a usable DfuSe bootloader"),
    /** After a reset the port holds a different board. */
    DEVICE_CHANGED("Another board appeared after the reset"),
    /**
     * The board did not enumerate again on its port within the re-enumeration timeout after a
     * reset the job caused (Read Unprotect, an option-byte write).
     */
    DEVICE_NOT_BACK("Board did not come back after its reset"),

    // The job's own outcomes
    /** The job was cancelled before it finished. */
    CANCELLED("Cancelled"),
    /** The stored firmware could not be turned into an image to flash. */
    FIRMWARE_UNREADABLE("Firmware cannot be prepared"),
    /** The service stopped while the job was queued or running. */
    INTERRUPTED("Service stopped during the job"),
    /** The board is the one that just passed on this port and was not removed. */
    ALREADY_PASSED("Board already passed on this port"),
    /**
     * The station's database was lost (unreachable, or unable to store anything, e.g. a full disk)
     * while the job ran, so its records could not be written; the board may be half-written.
     */
    DATABASE_ERROR("Station database unavailable during the job"),
    /** A failure nothing else describes: a bug. */
    INTERNAL_ERROR("Unexpected internal error"),

    // Serial numbers
    /** The recipe's serial sequence has run past what its format or record length can hold. */
    SERIAL_EXHAUSTED("Serial numbers exhausted"),
    /** The recipe does not serialise. */
    SERIAL_NOT_CONFIGURED("Recipe has no serial numbers"),

    // The DFU engine
    /** The device disconnected (unplugged, reset or re-enumerating). */
    DEVICE_GONE("Device disconnected"),
    /** The device stalled a control request. */
    USB_STALL("USB request stalled"),
    /** A control transfer was not answered in time. */
    USB_TIMEOUT("USB transfer timed out"),
    /** A control transfer failed for another reason. */
    USB_IO("USB transfer failed"),
    /** Any DFU failure without a more precise code. */
    DFU_ERROR("DFU failure"),
    /** The device could not be brought into the state a request needs. */
    DFU_STATE("Device not in the needed DFU state"),
    /** The device answered something DFU 1.1 / AN3156 does not allow. */
    DFU_PROTOCOL("DFU protocol violation"),
    /** An operation did not complete within its overall timeout. */
    DFU_TIMEOUT("DFU operation timed out"),
    /** A DfuSe memory-layout string could not be parsed. */
    DFU_BAD_LAYOUT("Unreadable DfuSe memory layout"),
    /** The DFU operation was stopped by a cancel or an interrupt. */
    DFU_CANCELLED("DFU operation cancelled"),
    /** The device reported dfuERROR with bStatus OK. */
    DFU_UNEXPECTED_STATE("Device in dfuERROR without an error status"),

    // The DFU 1.1 bStatus values a device reports (section 6.1.2), as "DFU_" + their name
    DFU_ERR_TARGET("Device reports errTARGET: address outside the device map"),
    DFU_ERR_FILE("Device reports errFILE: vendor verification failed"),
    DFU_ERR_WRITE("Device reports errWRITE: cannot write memory"),
    DFU_ERR_ERASE("Device reports errERASE: erase failed"),
    DFU_ERR_CHECK_ERASED("Device reports errCHECKERASED: erase check failed"),
    DFU_ERR_PROG("Device reports errPROG: programming failed"),
    DFU_ERR_VERIFY("Device reports errVERIFY: programmed memory failed verification"),
    DFU_ERR_ADDRESS("Device reports errADDRESS: address out of range"),
    DFU_ERR_NOTDONE("Device reports errNOTDONE: data incomplete"),
    DFU_ERR_FIRMWARE("Device reports errFIRMWARE: device firmware corrupt"),
    DFU_ERR_VENDOR("Device reports errVENDOR: read protection active"),
    DFU_ERR_USBR("Device reports errUSBR: unexpected USB reset"),
    DFU_ERR_POR("Device reports errPOR: unexpected power-on reset"),
    DFU_ERR_UNKNOWN("Device reports errUNKNOWN"),
    DFU_ERR_STALLEDPKT("Device reports errSTALLEDPKT: unexpected request stalled");

    private final String description;

    FailureCode(String description) {
        this.description = description;
    }

    /** A short human description, for operators; the stable identifier is {@link #name()}. */
    public String description() {
        return description;
    }
}
