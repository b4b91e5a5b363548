package com.flashline.station;

import java.util.regex.Pattern;

/**
 * Port paths name fixture slots: the USB bus, then the hub port chain ({@code 1-4.2}), or a
 * simulator prefix with a number ({@code sim-3}).
 */
public final class PortPaths {

    public static final String REGEX = "[A-Za-z0-9]{1,16}-[0-9]{1,3}(\\.[0-9]{1,3}){0,6}";
    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private PortPaths() {
    }

    public static boolean valid(String path) {
        return path != null && PATTERN.matcher(path).matches();
    }

    /** @throws IllegalArgumentException naming the bad path */
    public static String require(String path) {
        if (!valid(path)) {
            throw new IllegalArgumentException("'" + path + "' is not a port path like 1-4.2");
        }
        return path;
    }
}
