package com.flashline.dfu;

/**
 * The DFU functional descriptor (DFU 1.1 section 4.1.3, type 0x21): bmAttributes, wDetachTimeOut,
 * wTransferSize and bcdDFUVersion (0x011A for ST's DfuSe extension).
 */
public record DfuFunctionalDescriptor(int bmAttributes, int detachTimeoutMillis, int transferSize,
        int bcdDfuVersion) {

    public static final int DESCRIPTOR_TYPE = 0x21;
    public static final int LENGTH = 9;

    public static final int CAN_DOWNLOAD = 0x01;
    public static final int CAN_UPLOAD = 0x02;
    public static final int MANIFESTATION_TOLERANT = 0x04;
    public static final int WILL_DETACH = 0x08;

    public DfuFunctionalDescriptor {
        if (transferSize <= 0 || transferSize > 0xFFFF) {
            throw new DfuProtocolException("wTransferSize out of range: " + transferSize);
        }
    }

    /** Decodes a functional descriptor from its nine bytes (the first byte is bLength). */
    public static DfuFunctionalDescriptor decode(byte[] d) {
        if (d == null || d.length < 7 || (d[0] & 0xFF) < 7 || (d[1] & 0xFF) != DESCRIPTOR_TYPE) {
            throw new DfuProtocolException("not a DFU functional descriptor");
        }
        int version = d.length >= 9 && (d[0] & 0xFF) >= 9 ? u16(d, 7) : 0x0100;
        return new DfuFunctionalDescriptor(d[2] & 0xFF, u16(d, 3), u16(d, 5), version);
    }

    /**
     * Finds the functional descriptor in the "extra" bytes libusb returns after an interface
     * descriptor. The STM32 ROM places it after the last alternate setting, so callers pass the
     * concatenated extras of every alt setting.
     */
    public static DfuFunctionalDescriptor find(byte[] extra) {
        int i = 0;
        while (extra != null && i + 1 < extra.length) {
            int len = extra[i] & 0xFF;
            if (len < 2) {
                break;
            }
            if ((extra[i + 1] & 0xFF) == DESCRIPTOR_TYPE && i + len <= extra.length) {
                byte[] d = new byte[len];
                System.arraycopy(extra, i, d, 0, len);
                return decode(d);
            }
            i += len;
        }
        throw new DfuProtocolException("no DFU functional descriptor found");
    }

    public byte[] encode() {
        return new byte[] {LENGTH, DESCRIPTOR_TYPE, (byte) bmAttributes,
            (byte) detachTimeoutMillis, (byte) (detachTimeoutMillis >>> 8),
            (byte) transferSize, (byte) (transferSize >>> 8),
            (byte) bcdDfuVersion, (byte) (bcdDfuVersion >>> 8)};
    }

    public boolean canDownload() {
        return (bmAttributes & CAN_DOWNLOAD) != 0;
    }

    public boolean canUpload() {
        return (bmAttributes & CAN_UPLOAD) != 0;
    }

    public boolean manifestationTolerant() {
        return (bmAttributes & MANIFESTATION_TOLERANT) != 0;
    }

    public boolean willDetach() {
        return (bmAttributes & WILL_DETACH) != 0;
    }

    private static int u16(byte[] d, int at) {
        return (d[at] & 0xFF) | (d[at + 1] & 0xFF) << 8;
    }
}
