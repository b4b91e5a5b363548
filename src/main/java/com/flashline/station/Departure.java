package com.flashline.station;

/** Why a device left a port, as far as its source can tell. */
public enum Departure {
    /** The board was taken off the port (cable pulled, board lifted out of the nest). */
    UNPLUGGED,
    /**
     * The board dropped off the bus by itself and is still in the fixture: a reset after Leave,
     * Read Unprotect or an option-byte write, or its application started.
     */
    RESET,
    /** The source cannot tell the two apart (libusb reports both as a departure). */
    UNKNOWN
}
