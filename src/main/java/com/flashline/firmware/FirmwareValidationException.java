package com.flashline.firmware;

import java.util.List;

/** An image that was read fine but would write bytes where the device has no writeable memory. */
public final class FirmwareValidationException extends FirmwareException {

    private static final int LISTED = 8;

    private final List<AddressRange> offendingRanges;

    public FirmwareValidationException(List<AddressRange> offendingRanges) {
        super(describe(offendingRanges));
        this.offendingRanges = List.copyOf(offendingRanges);
    }

    private static String describe(List<AddressRange> ranges) {
        StringBuilder sb = new StringBuilder("image has bytes outside the device's writeable memory: ");
        for (int i = 0; i < Math.min(LISTED, ranges.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append(ranges.get(i));
        }
        if (ranges.size() > LISTED) {
            sb.append(" and ").append(ranges.size() - LISTED).append(" more ranges");
        }
        return sb.toString();
    }

    public List<AddressRange> offendingRanges() {
        return offendingRanges;
    }
}
