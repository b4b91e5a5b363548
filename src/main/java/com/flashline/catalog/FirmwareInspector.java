package com.flashline.catalog;

/**
 * Reads an uploaded firmware file far enough to store it: its format, the address ranges it
 * writes and the hash of its normalised content. The seam between the catalog and the firmware
 * parser library.
 */
public interface FirmwareInspector {

    /**
     * @param content     the file exactly as uploaded
     * @param fileName    the uploaded file name (its extension selects the format), may be null
     * @param baseAddress load address for raw binaries; null for self-locating formats
     * @throws FirmwareRejectedException when the file is malformed, naming where
     */
    InspectedFirmware inspect(byte[] content, String fileName, Long baseAddress);
}
