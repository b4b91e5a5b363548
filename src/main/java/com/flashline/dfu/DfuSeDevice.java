package com.flashline.dfu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * ST's DfuSe extension for the STM32 system bootloader (AN3156) on top of the DFU 1.1 requests of
 * {@link DfuDevice}: the {@link DfuSeCommand}s (Get, Set Address Pointer, Erase, Read Unprotect),
 * memory reads and writes split into wBlockNum &ge; 2 blocks that land at the same address under
 * both readings of the address formula ({@link BlockPlan}), the alt setting chosen by the memory
 * layout that holds an address, option bytes and Leave DFU mode.
 *
 * <p>Not thread-safe: one job drives one device from one thread. The statistics may be read from
 * any thread.
 */
public final class DfuSeDevice extends DfuDevice {

    /** The internal flash start, the ROM's default address pointer (AN3156 section 4.1). */
    public static final long DEFAULT_FLASH_START = 0x0800_0000L;

    private static final int GET_COMMANDS_LENGTH = 32;
    private static final long ADDRESS_SPACE = 0x1_0000_0000L;
    private static final HexFormat HEX = HexFormat.of();

    private final Map<Integer, Optional<MemoryLayout>> layouts = new HashMap<>();
    /** Names the current block in a failure; one object for all blocks, asked only when one fails. */
    private final Supplier<String> currentBlockDescription = this::describeBlock;

    /** One wTransferSize block, refilled for every full block written (transports do not keep it). */
    private byte[] blockBuffer;
    /** The block being transferred, described only when something fails (no String per block). */
    private boolean blockIsWrite;
    private long blockAddress;
    private int blockLength;

    public DfuSeDevice(DfuTransport transport, DfuClock clock, DfuOptions options) {
        super(transport, clock, options);
        if (transferSize() < DfuSeCommand.LENGTH_WITH_ADDRESS) {
            throw new DfuProtocolException("wTransferSize " + transferSize() + " cannot carry the "
                    + DfuSeCommand.LENGTH_WITH_ADDRESS + "-byte DfuSe commands");
        }
    }

    public DfuSeDevice(DfuTransport transport) {
        this(transport, DfuClock.SYSTEM, DfuOptions.DEFAULTS);
    }

    // ---------------------------------------------------------------- memory layouts

    /** The memory layout of an alt setting; throws {@link MemoryLayoutException} for a bad name. */
    public MemoryLayout layout(int alternateSetting) {
        return altSetting(alternateSetting).layout();
    }

    /** The alt setting whose layout contains {@code address}, if any. */
    public Optional<DfuAltSetting> altSettingFor(long address) {
        for (DfuAltSetting alt : altSettings()) {
            Optional<MemoryLayout> layout = parsedLayout(alt);
            if (layout.isPresent() && layout.get().contains(address)) {
                return Optional.of(alt);
            }
        }
        return Optional.empty();
    }

    private void selectAltSettingFor(long address) {
        altSettingFor(address).ifPresent(alt -> selectAltSetting(alt.alternateSetting()));
    }

    private Optional<MemoryLayout> parsedLayout(DfuAltSetting alt) {
        return layouts.computeIfAbsent(alt.alternateSetting(), key -> {
            try {
                return Optional.of(alt.layout());
            } catch (MemoryLayoutException e) {
                return Optional.empty();
            }
        });
    }

    // ---------------------------------------------------------------- DfuSe commands

    /** Get command (UPLOAD wValue 0): the DfuSe command codes; all four AN3156 codes must be there. */
    public byte[] getCommands() {
        ensureIdle(IdleFor.UPLOAD);
        byte[] commands = uploadExplained(0, Math.min(GET_COMMANDS_LENGTH, transferSize()), () -> "Get command");
        List<String> missing = new ArrayList<>();
        for (DfuSeCommand command : DfuSeCommand.values()) {
            boolean found = false;
            for (byte b : commands) {
                found |= (b & 0xFF) == command.code();
            }
            if (!found) {
                missing.add(String.format("0x%02x", command.code()));
            }
        }
        if (!missing.isEmpty()) {
            throw new DfuProtocolException("device does not support DfuSe command(s) " + missing + "; Get command returned "
                    + HEX.formatHex(commands), DfuRequest.UPLOAD, null, knownState().orElse(null));
        }
        return commands;
    }

    /** Set Address Pointer (0x21) and wait until the device has taken it. */
    public void setAddressPointer(long address) {
        checkAddress(address, 0);
        selectAltSettingFor(address);
        ensureIdle(IdleFor.DOWNLOAD);
        sendAddressPointer(address);
    }

    /**
     * Erases the page or sector that contains {@code address} (Erase 0x41 with an address). When the
     * ROM wedged and was cleared meanwhile ({@link #recoveredFromWedge()}), the sector is read back
     * and erased once more unless it is blank.
     */
    public void eraseSector(long address) {
        checkAddress(address, 0);
        selectAltSettingFor(address);
        List<Sector> sector = altSettingFor(address).flatMap(this::parsedLayout).flatMap(l -> l.sectorAt(address))
                .map(List::of).orElse(List.of());
        erase(DfuOperation.ERASE_SECTOR, "erase sector at " + hex(address), DfuSeCommand.ERASE.payload(address),
                sector);
    }

    /** Mass erase (Erase 0x41 without an address) on the internal flash alt setting. */
    public void massErase() {
        selectAltSettingFor(DEFAULT_FLASH_START);
        ensureIdle(IdleFor.DOWNLOAD);
        command(DfuOperation.MASS_ERASE, "mass erase", DfuSeCommand.ERASE.payload());
    }

    /**
     * A sector erase; when a wedged ROM had to be cleared during it, the sector is read back, and
     * erased again if it is not blank (once: a second failure is an error).
     */
    private void erase(DfuOperation operation, String what, byte[] payload, List<Sector> erased) {
        for (int attempt = 1; ; attempt++) {
            ensureIdle(IdleFor.DOWNLOAD);
            command(operation, what, payload);
            if (!recoveredFromWedge() || blank(erased)) {
                return;
            }
            if (attempt == 2) {
                throw new DfuStateException(what + ": the ROM wedged twice and the memory is not blank",
                        DfuRequest.DNLOAD, lastStatus().orElse(null));
            }
        }
    }

    /** Reads the sectors until a byte is not 0xFF. */
    private boolean blank(List<Sector> sectors) {
        boolean[] blank = {true};
        for (Sector sector : sectors) {
            read(sector.start(), sector.size(), (at, data) -> {
                for (byte b : data) {
                    if (b != (byte) 0xFF) {
                        blank[0] = false;
                        return false;
                    }
                }
                return true;
            }, () -> false);
            if (!blank[0]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Read Unprotect (0x92). The device mass-erases, removes read protection and resets, so it
     * usually cannot answer the second GETSTATUS: disappearing after the command is success. The
     * caller waits for the device to enumerate again.
     */
    public void readUnprotect() {
        ensureIdle(IdleFor.DOWNLOAD);
        downloadExplained(0, DfuSeCommand.READ_UNPROTECT.payload(), () -> "read unprotect");
        try {
            awaitCompletion(DfuOperation.READ_UNPROTECT);
        } catch (DeviceGoneException reset) {
            // AN3156 section 5.4: the device resets after removing the protection.
        }
        forgetState();
    }

    /**
     * Writes one option-byte block at its base address. The ROM erases all options, writes the block
     * and resets (AN3156 section 5.1), so disappearing afterwards is success.
     */
    public void writeOptionBytes(long base, byte[] block) {
        Objects.requireNonNull(block, "block");
        if (block.length < BlockPlan.MIN_BLOCK_LENGTH || block.length > transferSize()) {
            throw new IllegalArgumentException("an option-byte block must be 2 to " + transferSize()
                    + " bytes (one DNLOAD), got " + block.length);
        }
        checkAddress(base, block.length);
        selectAltSettingFor(base);
        ensureIdle(IdleFor.DOWNLOAD);
        sendAddressPointer(base);
        Supplier<String> what = () -> "write option bytes at " + hex(base);
        downloadExplained(BlockPlan.FIRST_BLOCK_NUMBER, block.clone(), what);
        try {
            awaitCompletion(DfuOperation.WRITE_OPTION_BYTES, what);
        } catch (DeviceGoneException reset) {
            // The ROM resets to load the new option bytes.
        }
        forgetState();
    }

    /**
     * Leaves DFU mode and starts the application at {@code applicationAddress} (AN3156 section 5.5):
     * Set Address Pointer (a readback moves the pointer, so always set it), zero-length DNLOAD,
     * GETSTATUS must report dfuMANIFEST. The device disconnecting at any point after the
     * zero-length DNLOAD is success.
     */
    public LeaveOutcome leave(long applicationAddress) {
        checkAddress(applicationAddress, 0);
        selectAltSettingFor(applicationAddress);
        ensureIdle(IdleFor.DOWNLOAD);
        sendAddressPointer(applicationAddress);
        downloadExplained(BlockPlan.FIRST_BLOCK_NUMBER, new byte[0], () -> "leave DFU mode");
        DfuStatus status;
        try {
            status = awaitCompletion(DfuOperation.LEAVE);
        } catch (DeviceGoneException gone) {
            forgetState();
            return LeaveOutcome.DISCONNECTED;
        }
        forgetState();
        if (status.state() != DfuState.DFU_MANIFEST && status.state() != DfuState.DFU_MANIFEST_WAIT_RESET) {
            throw new DfuProtocolException("leave DFU mode: expected dfuMANIFEST after the zero-length DNLOAD, device reports "
                    + status, DfuRequest.DNLOAD, status.status(), status.state());
        }
        return LeaveOutcome.MANIFESTING;
    }

    // ---------------------------------------------------------------- memory read and write

    public void write(long address, byte[] data, int off, int len, TransferProgress progress) {
        write(address, data, off, len, progress, () -> false);
    }

    /**
     * Writes {@code len} bytes at {@code address} in blocks of at most wTransferSize (see
     * {@link BlockPlan} for the numbering). The target must be erased first. A 1-byte write is
     * rejected: the ROM minimum is 2 bytes, and padding with a guessed neighbour could change memory.
     *
     * @param cancelled checked before every block; when true the write stops with
     *                  {@link DfuCancelledException} (the device stays in dfuDNLOAD-IDLE)
     */
    public void write(long address, byte[] data, int off, int len, TransferProgress progress,
            BooleanSupplier cancelled) {
        if (isEmptyTransfer(address, data, off, len, progress, cancelled)) {
            return;
        }
        if (len == 1) {
            throw new IllegalArgumentException("cannot write a single byte at " + hex(address)
                    + ": the bootloader's minimum write is 2 bytes; include a neighbouring byte");
        }
        BlockPlan plan = BlockPlan.of(address, len, transferSize());
        selectAltSettingFor(address);
        long done = 0;
        for (BlockPlan.Block block : plan.blocks()) {
            checkCancelled(cancelled);
            ensureIdle(IdleFor.DOWNLOAD);
            if (block.setsPointer()) {
                sendAddressPointer(block.address());
            }
            byte[] chunk = blockSizedBuffer(block.length());
            System.arraycopy(data, off + block.offset(), chunk, 0, block.length());
            currentBlock(true, block);
            downloadExplained(block.blockNumber(), chunk, currentBlockDescription);
            awaitCompletion(DfuOperation.WRITE_MEMORY, currentBlockDescription);
            done += block.length();
            progress.onProgress(done, len);
        }
    }

    /** Checks a block transfer's arguments (nulls, bounds, the address range); true when it moves no byte. */
    private boolean isEmptyTransfer(long address, byte[] buffer, int off, int len, TransferProgress progress,
            BooleanSupplier cancelled) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(off, len, buffer.length);
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancelled, "cancelled");
        checkAddress(address, len);
        return len == 0;
    }

    public void read(long address, byte[] dst, int off, int len, TransferProgress progress) {
        read(address, dst, off, len, progress, () -> false);
    }

    /**
     * Reads {@code len} bytes at {@code address} into {@code dst}. A 1-byte read is widened to two
     * bytes (towards lower addresses when the byte is the last of its memory region).
     *
     * @param cancelled checked before every block
     */
    public void read(long address, byte[] dst, int off, int len, TransferProgress progress,
            BooleanSupplier cancelled) {
        if (isEmptyTransfer(address, dst, off, len, progress, cancelled)) {
            return;
        }
        if (len == 1) {
            long start = lastByteOfMemory(address) ? address - 1 : address;
            byte[] two = new byte[BlockPlan.MIN_BLOCK_LENGTH];
            read(start, two, 0, two.length, TransferProgress.NONE, cancelled);
            dst[off] = two[(int) (address - start)];
            progress.onProgress(1, 1);
            return;
        }
        long[] done = {0};
        read(address, len, (at, block) -> {
            System.arraycopy(block, 0, dst, off + (int) (at - address), block.length);
            done[0] += block.length;
            progress.onProgress(done[0], len);
            return true;
        }, cancelled);
    }

    /**
     * Reads {@code len} bytes at {@code address} and hands each block to {@code sink} as it arrives,
     * without copying it anywhere. Stops early when the sink returns {@code false}.
     *
     * @param len       0 or at least 2 (the ROM's minimum block)
     * @param cancelled checked before every block
     * @return the number of bytes read (less than {@code len} when the sink stopped the read)
     */
    public long read(long address, int len, BlockSink sink, BooleanSupplier cancelled) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(cancelled, "cancelled");
        if (len < 0) {
            throw new IllegalArgumentException("negative length " + len);
        }
        checkAddress(address, len);
        if (len == 0) {
            return 0;
        }
        if (len == 1) {
            throw new IllegalArgumentException("cannot read a single byte at " + hex(address) + " block-wise: "
                    + "the bootloader's minimum block is 2 bytes");
        }
        BlockPlan plan = BlockPlan.of(address, len, transferSize());
        selectAltSettingFor(address);
        long done = 0;
        for (BlockPlan.Block block : plan.blocks()) {
            checkCancelled(cancelled);
            if (block.setsPointer()) {
                ensureIdle(IdleFor.DOWNLOAD);
                sendAddressPointer(block.address());
            }
            // The pointer command leaves dfuDNLOAD-IDLE, from which no UPLOAD is allowed: ABORT first.
            ensureIdle(IdleFor.UPLOAD);
            currentBlock(false, block);
            byte[] got = uploadExplained(block.blockNumber(), block.length(), currentBlockDescription);
            if (got.length != block.length()) {
                throw new DfuProtocolException(describeBlock() + ": device sent " + got.length + " bytes",
                        DfuRequest.UPLOAD, null, knownState().orElse(null));
            }
            done += got.length;
            if (!sink.accept(block.address(), got)) {
                break;
            }
        }
        return done;
    }

    // ---------------------------------------------------------------- internals

    private void currentBlock(boolean write, BlockPlan.Block block) {
        blockIsWrite = write;
        blockAddress = block.address();
        blockLength = block.length();
    }

    private String describeBlock() {
        return (blockIsWrite ? "write " : "read ") + blockLength + " bytes at " + hex(blockAddress);
    }

    /** The reusable buffer for a full block, a new array for the rare shorter one. */
    private byte[] blockSizedBuffer(int length) {
        if (length != transferSize()) {
            return new byte[length];
        }
        if (blockBuffer == null) {
            blockBuffer = new byte[transferSize()];
        }
        return blockBuffer;
    }

    private void sendAddressPointer(long address) {
        command(DfuOperation.SET_ADDRESS_POINTER, "set address pointer to " + hex(address),
                DfuSeCommand.SET_ADDRESS_POINTER.payload(address));
    }

    private void command(DfuOperation operation, String what, byte[] payload) {
        Supplier<String> described = () -> what;
        downloadExplained(0, payload, described);
        awaitCompletion(operation, described);
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (Thread.currentThread().isInterrupted()) {
            throw new DfuCancelledException("interrupted between blocks", null);
        }
        if (cancelled.getAsBoolean()) {
            throw new DfuCancelledException("cancelled between blocks", null);
        }
    }

    private boolean lastByteOfMemory(long address) {
        if (address + 1 >= ADDRESS_SPACE) {
            return true;
        }
        Optional<DfuAltSetting> alt = altSettingFor(address);
        return alt.isPresent() && !parsedLayout(alt.get()).orElseThrow().contains(address + 1)
                && address > 0;
    }

    private static void checkAddress(long address, long length) {
        if (address < 0 || address >= ADDRESS_SPACE || address + length > ADDRESS_SPACE) {
            throw new IllegalArgumentException("range " + hex(address) + " + " + length
                    + " lies outside the 32-bit address space");
        }
    }

    private static String hex(long address) {
        return String.format("0x%08X", address);
    }
}
