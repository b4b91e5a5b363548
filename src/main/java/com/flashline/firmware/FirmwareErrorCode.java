package com.flashline.firmware;

/**
 * Stable machine-readable reasons a firmware file is rejected. Names are part of the API
 * (they reach REST clients and audit records), so only ever add to this list.
 */
public enum FirmwareErrorCode {
    /** The file has no bytes at all. */
    EMPTY,
    /** The content matches no known format, none was forced and no base address makes it a raw binary. */
    UNKNOWN_FORMAT,
    /** A configured {@link FirmwareLimits} bound was exceeded. */
    LIMIT,
    /** Data would lie beyond the 32-bit address space. */
    ADDRESS_RANGE,
    /** Two records put different bytes at the same address. */
    OVERLAP,

    HEX_SYNTAX,
    HEX_LENGTH,
    HEX_CHECKSUM,
    HEX_RECORD_TYPE,
    HEX_RECORD,
    HEX_EOF_MISSING,
    HEX_TRAILING_DATA,

    SREC_SYNTAX,
    SREC_LENGTH,
    SREC_CHECKSUM,
    SREC_RECORD_TYPE,
    SREC_COUNT,
    SREC_TERMINATION_MISSING,
    SREC_TRAILING_DATA,

    ELF_HEADER,
    ELF_CLASS,
    ELF_ENDIAN,
    ELF_MACHINE,
    ELF_TYPE,
    ELF_PROGRAM_HEADER,
    ELF_SEGMENT,

    BIN_BASE_ADDRESS_MISSING,
    DFU_SUFFIX_CRC,

    DFUSE_PREFIX,
    DFUSE_TARGET,
    DFUSE_ELEMENT,
    DFUSE_SIZE,
    DFUSE_SUFFIX,
    DFUSE_CRC
}
