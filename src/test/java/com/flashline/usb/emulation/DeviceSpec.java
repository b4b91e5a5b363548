package com.flashline.usb.emulation;

import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.UsbDeviceInfo;
import java.util.List;

/**
 * What an emulated device shows the host before any DFU request: device descriptor fields, its
 * strings, the names of its DFU alt settings and its functional descriptor. By default taken from
 * the backend; the {@code with...} methods change single fields (a second board's serial, an old
 * bootloader's bcdDevice, a ROM that sends truncated string descriptors).
 *
 * @param truncatedStrings answer string descriptors one byte short of their bLength, as some ROMs do
 */
public record DeviceSpec(UsbDeviceInfo identity, List<String> altNames, DfuFunctionalDescriptor functional,
        boolean truncatedStrings) {

    public DeviceSpec {
        if (identity == null || functional == null || altNames == null || altNames.isEmpty()) {
            throw new IllegalArgumentException("identity, functional descriptor and at least one alt name are required");
        }
        if (altNames.size() > 250) {
            throw new IllegalArgumentException("too many alt settings: " + altNames.size());
        }
        altNames = List.copyOf(altNames);
    }

    public static DeviceSpec of(DfuTransport backend) {
        return new DeviceSpec(backend.deviceInfo(),
                backend.altSettings().stream().map(DfuAltSetting::name).toList(),
                backend.functionalDescriptor(), false);
    }

    public DeviceSpec withSerial(String serial) {
        UsbDeviceInfo i = identity;
        return withIdentity(new UsbDeviceInfo(i.vendorId(), i.productId(), i.bcdDevice(), i.manufacturer(),
                i.product(), serial, i.portPath()));
    }

    public DeviceSpec withIds(int vendorId, int productId, int bcdDevice) {
        UsbDeviceInfo i = identity;
        return withIdentity(new UsbDeviceInfo(vendorId, productId, bcdDevice, i.manufacturer(), i.product(),
                i.serialNumber(), i.portPath()));
    }

    public DeviceSpec withIdentity(UsbDeviceInfo newIdentity) {
        return new DeviceSpec(newIdentity, altNames, functional, truncatedStrings);
    }

    public DeviceSpec withAltNames(List<String> names) {
        return new DeviceSpec(identity, names, functional, truncatedStrings);
    }

    public DeviceSpec withTruncatedStrings() {
        return new DeviceSpec(identity, altNames, functional, true);
    }
}
