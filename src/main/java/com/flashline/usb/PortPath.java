package com.flashline.usb;

import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The name of a fixture slot: a USB port path in the kernel's sysfs notation, the bus number, a
 * dash, then the port of each hub hop separated by dots ({@code 1-4.2}: bus 1, root port 4, hub
 * port 2). Unlike the device address, the path stays the same while a board re-enumerates, so it
 * names the slot. The simulated fixture names its slots in the same form ({@code sim-3}).
 */
public record PortPath(String value) {

    /** libusb reports at most seven port numbers, the depth of USB 3.0's hub tiers below the root. */
    public static final int MAX_DEPTH = 7;

    /**
     * What a port path looks like, the one pattern everything that takes one in checks (the REST
     * API's path variables and parameters too). Real sysfs paths have a decimal bus number; the
     * bus part also takes letters so that the simulator's {@code sim-3} is a port path of the same
     * form. Bus and port numbers are at most 255, three digits; the chain is one root port and up
     * to {@link #MAX_DEPTH} - 1 hub ports.
     */
    public static final String REGEX = "[A-Za-z0-9]{1,16}-[0-9]{1,3}(\\.[0-9]{1,3}){0,6}";

    /** The REST API's message for a value that is not a port path. */
    public static final String INVALID = "must be a port path like 1-4.2";

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    /** @throws IllegalArgumentException naming the bad path */
    public PortPath {
        if (!isValid(value)) {
            throw new IllegalArgumentException("'" + value + "' is not a port path like 1-4.2");
        }
    }

    /** @throws IllegalArgumentException naming the bad path */
    public static PortPath parse(String text) {
        return new PortPath(text);
    }

    public static boolean isValid(String text) {
        return text != null && PATTERN.matcher(text).matches();
    }

    /**
     * The path of a device from libusb's bus number and port chain.
     *
     * @throws IllegalArgumentException for numbers USB cannot have, and for a root hub (an empty
     *                                  chain), which hangs on no port
     */
    public static PortPath of(int busNumber, int[] portNumbers) {
        if (busNumber < 0 || busNumber > 255) {
            throw new IllegalArgumentException("bus number out of range: " + busNumber);
        }
        if (portNumbers.length == 0) {
            throw new IllegalArgumentException("bus " + busNumber + "'s root hub has no port path");
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
        return new PortPath(ports.toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
