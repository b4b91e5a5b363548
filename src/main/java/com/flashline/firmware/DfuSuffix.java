package com.flashline.firmware;

/** The 16-byte DFU 1.1 file suffix's identification fields (the CRC is checked, not kept). */
public record DfuSuffix(int bcdDevice, int idProduct, int idVendor, int bcdDfu) {

    @Override
    public String toString() {
        return String.format("DfuSuffix[%04x:%04x device 0x%04x dfu 0x%04x]", idVendor, idProduct, bcdDevice, bcdDfu);
    }
}
