package com.flashline.sim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The standard USB descriptors a board's ROM sends, byte for byte, so that a USB bridge (usb4java,
 * umockdev) or a GET_DESCRIPTOR request can be served from the simulator. Layout as ST ROMs
 * report it: one configuration with one DFU interface (class 0xFE, subclass 1, protocol 2 = DFU
 * mode), one alternate setting per memory, string indexes 4.. for their names, and the DFU
 * functional descriptor after the last alternate setting.
 */
public final class RomDescriptors {

    public static final int TYPE_DEVICE = 1;
    public static final int TYPE_CONFIGURATION = 2;
    public static final int TYPE_STRING = 3;
    public static final int TYPE_INTERFACE = 4;
    public static final int LANGID_EN_US = 0x0409;
    /** String index of alt setting 0's name; alt n uses FIRST_ALT_STRING + n. */
    public static final int FIRST_ALT_STRING = 4;

    private final ChipProfile profile;
    private final String serialNumber;

    public RomDescriptors(ChipProfile profile, String serialNumber) {
        this.profile = profile;
        this.serialNumber = serialNumber;
    }

    /** The 18-byte device descriptor (USB 2.0 Full Speed, 64-byte EP0, one configuration). */
    public byte[] device() {
        return new byte[] {18, TYPE_DEVICE, 0x00, 0x02, 0x00, 0x00, 0x00, 64,
            lo(profile.vendorId()), hi(profile.vendorId()), lo(profile.productId()), hi(profile.productId()),
            lo(profile.bcdDevice()), hi(profile.bcdDevice()), 1, 2, 3, 1};
    }

    /** The full configuration descriptor: configuration, interface alt settings, functional descriptor. */
    public byte[] configuration() {
        List<String> alts = profile.altSettingNames();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int alt = 0; alt < alts.size(); alt++) {
            body.writeBytes(new byte[] {9, TYPE_INTERFACE, 0, (byte) alt, 0, (byte) 0xFE, 0x01, 0x02,
                (byte) (FIRST_ALT_STRING + alt)});
        }
        body.writeBytes(profile.functionalDescriptor().encode());
        int total = 9 + body.size();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        // self powered, 100 mA
        all.writeBytes(new byte[] {9, TYPE_CONFIGURATION, lo(total), hi(total), 1, 1, 0, (byte) 0xC0, 50});
        all.writeBytes(body.toByteArray());
        return all.toByteArray();
    }

    /** String descriptor {@code index} (0 is the language list), if the ROM has one. */
    public Optional<byte[]> string(int index) {
        if (index == 0) {
            return Optional.of(new byte[] {4, TYPE_STRING, lo(LANGID_EN_US), hi(LANGID_EN_US)});
        }
        return text(index).map(RomDescriptors::encodeString);
    }

    /** The text of string {@code index}. */
    public Optional<String> text(int index) {
        List<String> alts = profile.altSettingNames();
        return switch (index) {
            case 1 -> Optional.of(profile.manufacturer());
            case 2 -> Optional.of(profile.product());
            case 3 -> Optional.of(serialNumber);
            default -> index >= FIRST_ALT_STRING && index < FIRST_ALT_STRING + alts.size()
                    ? Optional.of(alts.get(index - FIRST_ALT_STRING)) : Optional.empty();
        };
    }

    /** Answers a standard GET_DESCRIPTOR request's wValue (type in the high byte, index in the low). */
    public Optional<byte[]> forGetDescriptor(int wValue) {
        int type = wValue >>> 8;
        int index = wValue & 0xFF;
        return switch (type) {
            case TYPE_DEVICE -> index == 0 ? Optional.of(device()) : Optional.empty();
            case TYPE_CONFIGURATION -> index == 0 ? Optional.of(configuration()) : Optional.empty();
            case TYPE_STRING -> string(index);
            default -> Optional.empty();
        };
    }

    private static byte[] encodeString(String s) {
        byte[] utf16 = s.getBytes(StandardCharsets.UTF_16LE);
        if (utf16.length + 2 > 255) {
            throw new IllegalArgumentException("string descriptor too long: " + s);
        }
        byte[] d = new byte[utf16.length + 2];
        d[0] = (byte) d.length;
        d[1] = TYPE_STRING;
        System.arraycopy(utf16, 0, d, 2, utf16.length);
        return d;
    }

    private static byte lo(int v) {
        return (byte) v;
    }

    private static byte hi(int v) {
        return (byte) (v >>> 8);
    }
}
