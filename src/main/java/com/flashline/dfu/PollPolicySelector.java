package com.flashline.dfu;

import java.util.List;
import java.util.Objects;

/**
 * Chooses the {@link PollPolicy} for a device from what the host sees of it before the first
 * request: the device descriptor and the alt-setting names. The ROM behaviour table implements it;
 * the engine itself knows no ROM.
 */
@FunctionalInterface
public interface PollPolicySelector {

    PollPolicy select(UsbDeviceInfo device, List<DfuAltSetting> altSettings);

    /** Every device is polled as DFU 1.1 says. */
    PollPolicySelector SPEC_LITERAL = always(PollPolicy.SPEC_LITERAL);

    static PollPolicySelector always(PollPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return (device, altSettings) -> policy;
    }
}
