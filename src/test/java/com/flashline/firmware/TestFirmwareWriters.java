package com.flashline.firmware;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Minimal, deliberately independent writers for every format, used to produce random images for
 * property tests and large inputs for benchmarks. They only write what the readers must accept.
 */
public final class TestFirmwareWriters {

    private TestFirmwareWriters() {
    }

    public static byte[] intelHex(List<Segment> segments, int recordSize, boolean lowerCase, boolean crlf) {
        StringBuilder out = new StringBuilder();
        String eol = crlf ? "\r\n" : "\n";
        long upper = 0;
        for (Segment segment : segments) {
            byte[] data = segment.data();
            int i = 0;
            while (i < data.length) {
                long address = segment.address() + i;
                if ((address >>> 16) != upper) {
                    upper = address >>> 16;
                    hexRecord(out, 0x04, 0, new byte[] {(byte) (upper >>> 8), (byte) upper}, 0, 2, eol);
                }
                int room = (int) (0x1_0000 - (address & 0xFFFF));
                int count = Math.min(Math.min(recordSize, data.length - i), room);
                hexRecord(out, 0x00, (int) (address & 0xFFFF), data, i, count, eol);
                i += count;
            }
        }
        out.append(":00000001FF").append(eol);
        String text = lowerCase ? out.toString().toLowerCase() : out.toString();
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    public static String hexRecord(int type, int offset, byte... data) {
        StringBuilder sb = new StringBuilder();
        hexRecord(sb, type, offset, data, 0, data.length, "\n");
        return sb.toString();
    }

    private static void hexRecord(StringBuilder out, int type, int offset, byte[] data, int from, int count, String eol) {
        int sum = count + (offset >>> 8) + (offset & 0xFF) + type;
        out.append(':');
        appendHex(out, count);
        appendHex(out, offset >>> 8);
        appendHex(out, offset & 0xFF);
        appendHex(out, type);
        for (int i = from; i < from + count; i++) {
            appendHex(out, data[i] & 0xFF);
            sum += data[i] & 0xFF;
        }
        appendHex(out, -sum & 0xFF);
        out.append(eol);
    }

    /** S-records with {@code addressBytes} (2, 3 or 4) address bytes, an S0 header, a count record and S7/8/9. */
    public static byte[] srec(List<Segment> segments, int addressBytes, int recordSize, long entry) {
        StringBuilder out = new StringBuilder();
        out.append(srecRecord(0, 2, 0, "test".getBytes(StandardCharsets.US_ASCII), 0, 4));
        int records = 0;
        for (Segment segment : segments) {
            byte[] data = segment.data();
            for (int i = 0; i < data.length; i += recordSize) {
                int count = Math.min(recordSize, data.length - i);
                out.append(srecRecord(addressBytes - 1, addressBytes, segment.address() + i, data, i, count));
                records++;
            }
        }
        if (records <= 0xFFFF) {
            out.append(srecRecord(5, 2, records, new byte[0], 0, 0));
        } else {
            out.append(srecRecord(6, 3, records, new byte[0], 0, 0));
        }
        out.append(srecRecord(11 - addressBytes, addressBytes, entry, new byte[0], 0, 0));
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static String srecRecord(int type, int addressBytes, long address, byte[] data, int from, int count) {
        StringBuilder out = new StringBuilder();
        int length = addressBytes + count + 1;
        out.append('S').append(type);
        appendHex(out, length);
        int sum = length;
        for (int shift = 8 * (addressBytes - 1); shift >= 0; shift -= 8) {
            int b = (int) (address >>> shift) & 0xFF;
            appendHex(out, b);
            sum += b;
        }
        for (int i = from; i < from + count; i++) {
            appendHex(out, data[i] & 0xFF);
            sum += data[i] & 0xFF;
        }
        appendHex(out, ~sum & 0xFF);
        return out.append('\n').toString();
    }

    /**
     * An ELF32 ARM executable with one PT_LOAD per segment at its physical address; each is given
     * a different virtual address and a larger p_memsz (like .data + .bss) to prove neither is used.
     */
    public static byte[] elf(List<Segment> segments, long entry) {
        int phnum = segments.size() + 1;
        int dataStart = 52 + 32 * phnum;
        int size = dataStart + segments.stream().mapToInt(Segment::length).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2).putShort((short) 40).putInt(1).putInt((int) entry).putInt(52).putInt(0)
                .putInt(0x05000200).putShort((short) 52).putShort((short) 32).putShort((short) phnum)
                .putShort((short) 40).putShort((short) 0).putShort((short) 0);
        int offset = dataStart;
        for (Segment segment : segments) {
            b.putInt(1).putInt(offset).putInt((int) (0x2000_0000L + offset)).putInt((int) segment.address())
                    .putInt(segment.length()).putInt(segment.length() + 16).putInt(6).putInt(4);
            offset += segment.length();
        }
        // A .bss-like segment: memory only, nothing to write.
        b.putInt(1).putInt(0).putInt(0x2001_0000).putInt(0x2001_0000).putInt(0).putInt(256).putInt(6).putInt(4);
        for (Segment segment : segments) {
            b.put(segment.data());
        }
        return b.array();
    }

    /** Raw bytes of one segment followed by a DFU suffix (vid 0x0483, pid 0xDF11, bcdDevice 0x0200). */
    public static byte[] binWithSuffix(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(data).putShort((short) 0x0200).putShort((short) 0xDF11).putShort((short) 0x0483).putShort((short) 0x0100)
                .put((byte) 'U').put((byte) 'F').put((byte) 'D').put((byte) 16);
        byte[] out = b.array();
        fixDfuCrc(out);
        return out;
    }

    /** A DfuSe file with one target per distinct alternate setting (absent counts as 0), in segment order. */
    public static byte[] dfuse(List<Segment> segments) {
        ByteArrayOutputStream targets = new ByteArrayOutputStream();
        int targetCount = 0;
        int i = 0;
        while (i < segments.size()) {
            int alt = segments.get(i).alternateSetting().orElse(0);
            ByteArrayOutputStream elements = new ByteArrayOutputStream();
            int count = 0;
            while (i < segments.size() && segments.get(i).alternateSetting().orElse(0) == alt) {
                Segment s = segments.get(i++);
                elements.writeBytes(le32(s.address()));
                elements.writeBytes(le32(s.length()));
                elements.writeBytes(s.data());
                count++;
            }
            ByteBuffer prefix = ByteBuffer.allocate(274).order(ByteOrder.LITTLE_ENDIAN);
            prefix.put("Target".getBytes(StandardCharsets.US_ASCII)).put((byte) alt).putInt(1);
            byte[] name = new byte[255];
            byte[] text = ("alt " + alt).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, name, 0, text.length);
            prefix.put(name).putInt(elements.size()).putInt(count);
            targets.writeBytes(prefix.array());
            targets.writeBytes(elements.toByteArray());
            targetCount++;
        }
        int total = 11 + targets.size() + 16;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put("DfuSe".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).putInt(total).put((byte) targetCount);
        b.put(targets.toByteArray());
        b.putShort((short) 0).putShort((short) 0xDF11).putShort((short) 0x0483).putShort((short) 0x011A)
                .put((byte) 'U').put((byte) 'F').put((byte) 'D').put((byte) 16);
        byte[] out = b.array();
        fixDfuCrc(out);
        return out;
    }

    /** Rewrites the last 4 bytes with the DFU CRC of everything before them. */
    public static void fixDfuCrc(byte[] file) {
        CRC32 crc = new CRC32();
        crc.update(file, 0, file.length - 4);
        long value = ~crc.getValue() & 0xFFFF_FFFFL;
        System.arraycopy(le32(value), 0, file, file.length - 4, 4);
    }

    private static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static void appendHex(StringBuilder out, int b) {
        out.append(Character.toUpperCase(Character.forDigit((b >>> 4) & 0xF, 16)))
                .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
    }
}
