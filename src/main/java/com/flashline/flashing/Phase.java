package com.flashline.flashing;

/** The steps of flashing one board, in order. */
public enum Phase {
    CONNECT,
    IDENTIFY,
    UNPROTECT,
    ERASE,
    WRITE,
    VERIFY,
    SERIALIZE,
    LEAVE
}
