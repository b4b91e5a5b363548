package com.flashline.flashing;

/**
 * The steps of flashing one board, in order. UNPROTECT and OPTION_BYTES run only when needed, and
 * each ends in a reset of the chip that the job waits through (the chip comes back on its port).
 * The names are stored and shown by the API: only ever add, never rename.
 */
public enum Phase {
    CONNECT,
    IDENTIFY,
    UNPROTECT,
    ERASE,
    WRITE,
    VERIFY,
    SERIALIZE,
    OPTION_BYTES,
    LEAVE
}
