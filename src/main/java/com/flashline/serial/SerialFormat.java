package com.flashline.serial;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a recipe turns a sequence value into a serial number and into the bytes written to the
 * device.
 *
 * <p>Two kinds of format:
 * <ul>
 * <li>{@code u32le}: the value itself, written as a 32-bit little-endian integer (4 bytes); the
 *     serial number text is the decimal value. Values above 0xFFFFFFFF are exhausted.</li>
 * <li>a text template: printable ASCII with exactly one placeholder, either {@code {seq}},
 *     {@code {seq:06d}} (zero-padded to 6 digits) or the printf forms {@code %d} / {@code %06d}.
 *     {@code FL-{seq:06d}} and {@code FL-%06d} both make {@code FL-000042} from 42. The bytes
 *     written are the ASCII text followed by NUL bytes up to the record length. A zero-padded
 *     width is also a maximum: {@code {seq:06d}} is exhausted after 999999, so printed serials
 *     keep one length.</li>
 * </ul>
 */
public final class SerialFormat {

    public static final String U32LE = "u32le";
    public static final int MAX_TEMPLATE_LENGTH = 100;
    public static final int MAX_RECORD_LENGTH = 64;

    private static final Pattern BRACE = Pattern.compile("\\{seq(?::(0?)([1-9][0-9]?)d)?}");
    private static final Pattern PRINTF = Pattern.compile("%(0?)([1-9][0-9]?)?d");

    private final String template;
    private final boolean binary;
    private final String prefix;
    private final String suffix;
    private final int width;
    private final boolean zeroPadded;

    private SerialFormat(String template, boolean binary, String prefix, String suffix, int width, boolean zeroPadded) {
        this.template = template;
        this.binary = binary;
        this.prefix = prefix;
        this.suffix = suffix;
        this.width = width;
        this.zeroPadded = zeroPadded;
    }

    /** @throws IllegalArgumentException with a message fit for the API client */
    public static SerialFormat parse(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("format is empty");
        }
        if (template.equals(U32LE)) {
            return new SerialFormat(template, true, "", "", 0, false);
        }
        if (template.length() > MAX_TEMPLATE_LENGTH) {
            throw new IllegalArgumentException("format is longer than " + MAX_TEMPLATE_LENGTH + " characters");
        }
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("format has a non-printable or non-ASCII character at index " + i);
            }
        }
        Matcher brace = BRACE.matcher(template);
        Matcher printf = PRINTF.matcher(template);
        boolean hasBrace = brace.find();
        boolean hasPrintf = printf.find();
        if (hasBrace == hasPrintf) {
            throw new IllegalArgumentException(hasBrace
                    ? "format mixes {seq} and %d placeholders; use exactly one"
                    : "format needs one placeholder: {seq}, {seq:06d}, %d or %06d (or the binary format u32le)");
        }
        Matcher m = hasBrace ? brace : printf;
        String prefix = template.substring(0, m.start());
        String suffix = template.substring(m.end());
        boolean zeroPadded = m.group(1) != null && !m.group(1).isEmpty();
        int width = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (width > 18) {
            throw new IllegalArgumentException("placeholder width " + width + " is above the maximum 18");
        }
        for (String literal : new String[] {prefix, suffix}) {
            if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0 || literal.indexOf('%') >= 0) {
                throw new IllegalArgumentException("format has a second or malformed placeholder: '" + template
                        + "' (allowed: one of {seq}, {seq:06d}, %d, %06d)");
            }
        }
        return new SerialFormat(template, false, prefix, suffix, width, zeroPadded);
    }

    public boolean binary() {
        return binary;
    }

    /** The record length used when a recipe does not declare one. */
    public int defaultLength() {
        return binary ? 4 : 16;
    }

    /** The largest value this format can represent, regardless of record length. */
    public long maxValue() {
        if (binary) {
            return 0xFFFF_FFFFL;
        }
        if (zeroPadded) {
            long max = 1;
            for (int i = 0; i < width; i++) {
                max *= 10;
            }
            return max - 1;
        }
        return Long.MAX_VALUE;
    }

    /** The serial number as recorded and printed. */
    public String text(long value) {
        requireRepresentable(value);
        if (binary) {
            return Long.toString(value);
        }
        String digits = Long.toString(value);
        if (digits.length() < width) {
            digits = (zeroPadded ? "0" : " ").repeat(width - digits.length()) + digits;
        }
        return prefix + digits + suffix;
    }

    /**
     * The bytes written to the device for {@code value} in a record of {@code length} bytes.
     *
     * @throws SerialAllocationException SERIAL_EXHAUSTED when the value does not fit
     */
    public byte[] encode(long value, int length) {
        requireRepresentable(value);
        byte[] record = new byte[length];
        if (binary) {
            if (length < 4) {
                throw new IllegalArgumentException("u32le needs a record of at least 4 bytes");
            }
            for (int i = 0; i < 4; i++) {
                record[i] = (byte) (value >>> (8 * i));
            }
            return record;
        }
        byte[] ascii = text(value).getBytes(StandardCharsets.US_ASCII);
        if (ascii.length > length) {
            throw new SerialAllocationException(SerialAllocationException.EXHAUSTED, "serial '" + text(value)
                    + "' is " + ascii.length + " bytes, longer than the " + length + "-byte record");
        }
        System.arraycopy(ascii, 0, record, 0, ascii.length);
        return record;
    }

    private void requireRepresentable(long value) {
        if (value < 0 || value > maxValue()) {
            throw new SerialAllocationException(SerialAllocationException.EXHAUSTED,
                    "value " + value + " is outside 0.." + maxValue() + " for format '" + template + "'");
        }
    }

    @Override
    public String toString() {
        return template;
    }
}
