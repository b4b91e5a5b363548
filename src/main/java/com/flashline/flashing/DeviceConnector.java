package com.flashline.flashing;

import com.flashline.dfu.DfuTransport;
import java.time.Duration;

/**
 * Opens the board on one fixture port. Called once at CONNECT and again after every reset the
 * pipeline causes (Read Unprotect, option-byte write), when the board re-enumerates on the same
 * port: the implementation waits up to {@code timeout} for that next enumeration (not the one
 * that just reset, which the port may still seem to hold) and throws
 * {@link com.flashline.dfu.DeviceGoneException} when none comes. It need not judge whose board
 * came: the pipeline compares the chip's unique ID.
 */
@FunctionalInterface
public interface DeviceConnector {

    DfuTransport connect(Duration timeout);
}
