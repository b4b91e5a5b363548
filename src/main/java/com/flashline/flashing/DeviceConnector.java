package com.flashline.flashing;

import com.flashline.dfu.DfuTransport;
import java.time.Duration;

/**
 * Opens the board on one fixture port. Called once at CONNECT and again after every reset the
 * pipeline causes (Read Unprotect, option-byte write), when the board re-enumerates on the same
 * port: the implementation waits up to {@code timeout} for it and throws
 * {@link com.flashline.dfu.DeviceGoneException} when it does not come back.
 */
@FunctionalInterface
public interface DeviceConnector {

    DfuTransport connect(Duration timeout);
}
