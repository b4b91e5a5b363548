package com.flashline.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

/**
 * The demo's firmware: the bundled blinky program plus a block of constant data behind it (as an
 * application's fonts or images would be), so that a demo job writes and verifies enough flash to
 * take a few seconds and its progress can be watched. Intel HEX; the same bytes on every start.
 */
final class DemoImage {

    private static final String END_OF_FILE = ":00000001FF";
    private static final int RECORD_BYTES = 32;

    private DemoImage() {
    }

    /**
     * @param program   the program as Intel HEX text
     * @param dataStart where the data block starts (clear of the program and the serial record)
     * @param dataBytes how much data
     */
    static byte[] withData(byte[] program, long dataStart, int dataBytes) {
        String text = new String(program, StandardCharsets.US_ASCII).strip();
        if (!text.endsWith(END_OF_FILE)) {
            throw new IllegalArgumentException("the demo program does not end with an Intel HEX end-of-file record");
        }
        StringBuilder hex = new StringBuilder(text.substring(0, text.length() - END_OF_FILE.length()));
        byte[] data = new byte[dataBytes];
        new Random(0x464C_4153_484CL).nextBytes(data);
        long upper = -1;
        for (int offset = 0; offset < dataBytes; offset += RECORD_BYTES) {
            long address = dataStart + offset;
            if (address >>> 16 != upper) {
                upper = address >>> 16;
                hex.append(record(0, 4, new byte[] {(byte) (upper >>> 8), (byte) upper}));
            }
            byte[] chunk = java.util.Arrays.copyOfRange(data, offset, Math.min(dataBytes, offset + RECORD_BYTES));
            hex.append(record((int) (address & 0xFFFF), 0, chunk));
        }
        hex.append(END_OF_FILE).append('\n');
        return hex.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String record(int address, int type, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(data.length);
        bytes.write(address >>> 8);
        bytes.write(address);
        bytes.write(type);
        bytes.writeBytes(data);
        int sum = 0;
        for (byte b : bytes.toByteArray()) {
            sum += b & 0xFF;
        }
        bytes.write(-sum);
        return ":" + HexFormat.of().withUpperCase().formatHex(bytes.toByteArray()) + "\n";
    }
}
