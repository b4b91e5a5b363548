package com.flashline.serial;

/**
 * A serial number assigned to one chip under one recipe.
 *
 * @param text    the serial number as recorded on the job and in the audit log
 * @param address where the record is written on the device
 * @param bytes   the record to write there (see {@link SerialFormat})
 * @param reused  true when this chip already had this number (a re-flash), false when it was taken now
 */
public record AllocatedSerial(long recipeId, String chipUid, long value, String text, long address, byte[] bytes,
        boolean reused) {
}
