package com.flashline.device;

import com.flashline.dfu.DfuTransport;
import com.flashline.flashing.DeviceConnector;

/**
 * One kind of fixture: the ports it owns, how their boards are opened, and whether it works.
 * Arrivals and departures are reported to {@link com.flashline.station.PortRegistry} as they happen.
 */
public interface DeviceSource {

    /** A short name for logs and health details ({@code usb}, {@code simulator}). */
    String name();

    /** Starts watching; must not throw when the underlying hardware is unusable (see {@link #health()}). */
    void start();

    void stop();

    /** Whether {@code portPath} is one of this source's ports. */
    boolean owns(String portPath);

    /**
     * Opens the board now on {@code portPath}.
     *
     * @throws com.flashline.dfu.DeviceGoneException when no board is there
     */
    DfuTransport open(String portPath);

    /**
     * A connector for one job on {@code portPath}: the first call opens the board that is there;
     * later calls (after a reset the pipeline caused) wait for the next arrival on the port, the
     * board enumerating again, up to their timeout, and fail with
     * {@link com.flashline.dfu.DeviceGoneException} when none comes. Whether the board that came is
     * the same chip, the pipeline checks by its unique ID.
     */
    DeviceConnector connector(String portPath);

    SourceHealth health();
}
