package com.flashline.usb;

import java.util.StringJoiner;

/**
 * Port paths in the kernel's sysfs notation: bus number, a dash, then the port of each hub hop
 * separated by dots ({@code 1-4.2}: bus 1, root port 4, hub port 2). Unlike the device address,
 * the path stays the same while a board re-enumerates, so it names the fixture slot.
 */
public final class PortPaths {

    /** USB 3.0 allows at most seven tiers of ports below the root. */
    public static final int MAX_DEPTH = 7;

    private PortPaths() {
    }

    public static String of(int busNumber, int[] portNumbers) {
        if (busNumber < 0 || busNumber > 255) {
            throw new IllegalArgumentException("bus number out of range: " + busNumber);
        }
        if (portNumbers.length == 0) {
            return Integer.toString(busNumber);
        }
        if (portNumbers.length > MAX_DEPTH) {
            throw new IllegalArgumentException("port chain deeper than " + MAX_DEPTH + " hops");
        }
        StringJoiner ports = new StringJoiner(".", busNumber + "-", "");
        for (int port : portNumbers) {
            if (port < 1 || port > 255) {
                throw new IllegalArgumentException("port number out of range: " + port);
            }
            ports.add(Integer.toString(port));
        }
        return ports.toString();
    }

    /** Checks the form {@code bus-port[.port]*} and returns the path unchanged. */
    public static String requireValid(String portPath) {
        if (portPath == null || !portPath.matches("\\d{1,3}-\\d{1,3}(\\.\\d{1,3}){0,6}")) {
            throw new IllegalArgumentException("not a USB port path like 1-4.2: " + portPath);
        }
        return portPath;
    }
}
