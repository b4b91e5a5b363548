/**
 * Firmware images: reading every format production engineers hand us, exactly, and checking
 * them against the device. Plain Java, no framework.
 *
 * <p>Entry point: {@link com.flashline.firmware.FirmwareReader#read(byte[], String, ReadOptions)}
 * returns a {@link com.flashline.firmware.FirmwareImage} or throws
 * {@link com.flashline.firmware.FirmwareFormatException} (stable {@link com.flashline.firmware.FirmwareErrorCode},
 * 1-based line for text formats, 0-based byte offset for binary ones). Then
 * {@link com.flashline.firmware.FirmwareValidator#validate} against the device's
 * {@link com.flashline.dfu.MemoryLayout}s and {@link com.flashline.firmware.ErasePlan#of} for the sectors to erase.
 *
 * <p>Decisions shared by all readers:
 * <ul>
 * <li>Format detection looks at content first ("DfuSe", ELF magic, ':' or 'S'+digit on the first
 *     non-blank line of printable text); the file name only decides between "raw binary" and
 *     "unknown" when nothing matched. A format given in {@link com.flashline.firmware.ReadOptions} wins.</li>
 * <li>Text formats: LF or CRLF, upper or lower case, blank lines and trailing spaces ignored, the
 *     end record required (Intel HEX: 01; S-record: S7/S8/S9, or at least a final S5/S6 count, since
 *     srec_cat omits the termination without a start address) and only whitespace after it.</li>
 * <li>Records that overlap with identical bytes are accepted and kept once; different bytes are an
 *     {@code OVERLAP} error naming both lines/offsets. Adjacent data merges into one segment unless
 *     the DfuSe alternate settings differ.</li>
 * <li>Memory is proportional to the data actually present, bounded by
 *     {@link com.flashline.firmware.FirmwareLimits}; declared sizes are checked against the bytes
 *     that remain before anything is allocated.</li>
 * <li>The content hash is format-independent; see {@link com.flashline.firmware.FirmwareImage}.</li>
 * </ul>
 */
package com.flashline.firmware;
