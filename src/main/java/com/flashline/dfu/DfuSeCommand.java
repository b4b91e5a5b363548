package com.flashline.dfu;

import java.util.Optional;

/**
 * The DfuSe commands of ST's system bootloader (AN3156 sections 4.2 and 5). A command is a DNLOAD
 * with wBlockNum 0 whose first byte is the code, followed for the commands that take one by a
 * 32-bit address, least significant byte first. Get is the exception: it is read with an UPLOAD of
 * wBlockNum 0 and answers with the codes of all four, in this order.
 */
public enum DfuSeCommand {
    /** Get: the codes the bootloader supports. Only read (UPLOAD), never downloaded. */
    GET_COMMANDS(0x00, false, false),
    /** Set Address Pointer: where the next read, write or Leave starts. Always with an address. */
    SET_ADDRESS_POINTER(0x21, false, true),
    /** Erase: the page or sector holding the address, or the whole flash (mass erase) without one. */
    ERASE(0x41, true, true),
    /** Read Unprotect: mass erase, default option bytes, system reset. Never with an address. */
    READ_UNPROTECT(0x92, true, false);

    /** The code byte alone. */
    public static final int LENGTH_ALONE = 1;
    /** The code byte and the four address bytes. */
    public static final int LENGTH_WITH_ADDRESS = 5;

    private static final DfuSeCommand[] BY_CODE = new DfuSeCommand[256];

    static {
        for (DfuSeCommand command : values()) {
            BY_CODE[command.code] = command;
        }
    }

    private final int code;
    private final boolean alone;
    private final boolean withAddress;

    DfuSeCommand(int code, boolean alone, boolean withAddress) {
        this.code = code;
        this.alone = alone;
        this.withAddress = withAddress;
    }

    public int code() {
        return code;
    }

    /** The command a code byte selects; empty for a code AN3156 does not define. */
    public static Optional<DfuSeCommand> fromCode(int code) {
        return code < 0 || code >= BY_CODE.length ? Optional.empty() : Optional.ofNullable(BY_CODE[code]);
    }

    /** True when a DNLOAD payload of {@code length} bytes is a well-formed form of this command. */
    public boolean acceptsLength(int length) {
        return (alone && length == LENGTH_ALONE) || (withAddress && length == LENGTH_WITH_ADDRESS);
    }

    /** The DNLOAD payload of the command without an address. */
    public byte[] payload() {
        if (!alone) {
            throw new IllegalStateException(this + " is never sent without an address");
        }
        return new byte[] {(byte) code};
    }

    /** The DNLOAD payload of the command with {@code address} (its low 32 bits, least significant first). */
    public byte[] payload(long address) {
        if (!withAddress) {
            throw new IllegalStateException(this + " takes no address");
        }
        return new byte[] {(byte) code, (byte) address, (byte) (address >>> 8), (byte) (address >>> 16),
            (byte) (address >>> 24)};
    }

    /** The address carried by a {@value #LENGTH_WITH_ADDRESS}-byte command payload. */
    public static long address(byte[] payload) {
        if (payload.length != LENGTH_WITH_ADDRESS) {
            throw new IllegalArgumentException("a command with an address has " + LENGTH_WITH_ADDRESS
                    + " bytes, got " + payload.length);
        }
        return (payload[1] & 0xFFL) | (payload[2] & 0xFFL) << 8 | (payload[3] & 0xFFL) << 16
                | (payload[4] & 0xFFL) << 24;
    }

    /** What the bootloader answers to Get: every code, in the order of AN3156 section 4.2. */
    public static byte[] supportedCodes() {
        DfuSeCommand[] all = values();
        byte[] codes = new byte[all.length];
        for (int i = 0; i < all.length; i++) {
            codes[i] = (byte) all[i].code;
        }
        return codes;
    }
}
