package com.flashline.dfu;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The DFU 1.1 / DfuSe host protocol engine for the STM32 system bootloader (AN3156) over one
 * {@link DfuTransport}.
 *
 * <p>The engine remembers the state the device reported last (or the state a request moves it to)
 * and only asks again when it does not know, so a long write costs one DNLOAD and the GETSTATUS
 * polls per block and nothing more. Before every DNLOAD it makes sure the device is in dfuIDLE or
 * dfuDNLOAD-IDLE, before every UPLOAD in dfuIDLE or dfuUPLOAD-IDLE (AN3156 sections 4.2 and 5),
 * recovering with CLRSTATUS / ABORT when needed. While a command executes it never polls faster
 * than the bwPollTimeout of the previous answer, measured on the {@link DfuClock}.
 *
 * <p>Not thread-safe: one job drives one device from one thread. The statistics may be read from
 * any thread.
 */
public final class DfuSeDevice {

    /** The internal flash start, the ROM's default address pointer (AN3156 section 4.1). */
    public static final long DEFAULT_FLASH_START = 0x0800_0000L;

    private static final int GET_COMMANDS_LENGTH = 32;
    private static final long ADDRESS_SPACE = 0x1_0000_0000L;
    private static final HexFormat HEX = HexFormat.of();

    private final DfuTransport transport;
    private final DfuClock clock;
    private final DfuOptions options;
    private final List<DfuAltSetting> altSettings;
    private final int interfaceNumber;
    private final int transferSize;
    private final Map<Integer, Optional<MemoryLayout>> layouts = new HashMap<>();
    private final TransferStatistics statistics = new TransferStatistics();
    /** Two GETSTATUS per written block: one immutable SETUP for all of them. */
    private final ControlSetup getStatusSetup;

    /** The state the device is in as far as we know, or null when we must ask. */
    private DfuState knownState;
    private DfuStatus lastStatus;
    /** Alt setting 0 is active after the interface is claimed (USB 2.0 section 9.6.5). */
    private int currentAlt;
    /** One wTransferSize block, refilled for every full block written (transports do not keep it). */
    private byte[] blockBuffer;
    /** The block being transferred, described only when something fails (no String per block). */
    private boolean blockIsWrite;
    private long blockAddress;
    private int blockLength;

    public DfuSeDevice(DfuTransport transport, DfuClock clock, DfuOptions options) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.altSettings = List.copyOf(transport.altSettings());
        this.interfaceNumber = altSettings.isEmpty() ? 0 : altSettings.get(0).interfaceNumber();
        this.transferSize = transport.functionalDescriptor().transferSize();
        if (transferSize < DfuSeCommand.LENGTH_WITH_ADDRESS) {
            throw new DfuProtocolException("wTransferSize " + transferSize + " cannot carry the "
                    + DfuSeCommand.LENGTH_WITH_ADDRESS + "-byte DfuSe commands");
        }
        this.currentAlt = altSettings.isEmpty() ? 0 : altSettings.get(0).alternateSetting();
        this.getStatusSetup = DfuRequest.GETSTATUS.setup(0, interfaceNumber, DfuRequest.STATUS_LENGTH);
    }

    public DfuSeDevice(DfuTransport transport) {
        this(transport, DfuClock.SYSTEM, DfuOptions.DEFAULTS);
    }

    public DfuTransport transport() {
        return transport;
    }

    public DfuOptions options() {
        return options;
    }

    public TransferStatistics statistics() {
        return statistics;
    }

    /** wTransferSize from the functional descriptor: the largest block of one DNLOAD or UPLOAD. */
    public int transferSize() {
        return transferSize;
    }

    public int interfaceNumber() {
        return interfaceNumber;
    }

    /** The state the engine believes the device is in, empty when it would have to ask. */
    public Optional<DfuState> knownState() {
        return Optional.ofNullable(knownState);
    }

    /** The last GETSTATUS answer, empty before the first one. */
    public Optional<DfuStatus> lastStatus() {
        return Optional.ofNullable(lastStatus);
    }

    // ---------------------------------------------------------------- raw DFU requests

    /** DFU_GETSTATUS with the ordinary transfer timeout. */
    public DfuStatus getStatus() {
        return getStatus(options.transferTimeout());
    }

    /** DFU_GETSTATE. */
    public DfuState getState() {
        byte[] answer = in(DfuRequest.GETSTATE, 0, DfuRequest.STATE_LENGTH, options.transferTimeout());
        if (answer.length != DfuRequest.STATE_LENGTH) {
            knownState = null;
            throw new DfuProtocolException("GETSTATE answer must be 1 byte, got " + answer.length);
        }
        try {
            knownState = DfuState.fromCode(answer[0] & 0xFF);
        } catch (DfuProtocolException e) {
            knownState = null;
            throw e;
        }
        return knownState;
    }

    /** DFU_CLRSTATUS: dfuERROR to dfuIDLE. */
    public void clearStatus() {
        out(DfuRequest.CLRSTATUS, 0, new byte[0]);
        knownState = DfuState.DFU_IDLE;
    }

    /** DFU_ABORT: dfuDNLOAD-IDLE / dfuUPLOAD-IDLE (and dfuIDLE) to dfuIDLE. */
    public void abort() {
        out(DfuRequest.ABORT, 0, new byte[0]);
        knownState = DfuState.DFU_IDLE;
    }

    /** DFU_DNLOAD of one block (wValue 0: a DfuSe command; 2 and above: data). Does not poll. */
    public void download(int blockNumber, byte[] data) {
        Objects.requireNonNull(data, "data");
        out(DfuRequest.DNLOAD, blockNumber, data);
        statistics.addBytesDown(data.length);
        knownState = data.length == 0 ? DfuState.DFU_MANIFEST_SYNC : DfuState.DFU_DNLOAD_SYNC;
    }

    /** DFU_UPLOAD of one block (wValue 0: Get command; 2 and above: read memory). */
    public byte[] upload(int blockNumber, int length) {
        byte[] data = in(DfuRequest.UPLOAD, blockNumber, length, options.transferTimeout());
        statistics.addBytesUp(data.length);
        // A short frame ends an upload in DFU 1.1 (back to dfuIDLE) but ROMs differ: ask next time.
        knownState = data.length == length ? DfuState.DFU_UPLOAD_IDLE : null;
        return data;
    }

    // ---------------------------------------------------------------- polling and recovery

    /**
     * Polls GETSTATUS after a DNLOAD until the operation has finished. Waits at least the previous
     * answer's bwPollTimeout between polls (from the moment that answer arrived), treats a stalled
     * GETSTATUS as "still busy" a bounded number of times, and gives the GETSTATUS transfer enough
     * time for a ROM that holds the answer until a long erase is done.
     *
     * @return the final status: dfuDNLOAD-IDLE (or dfuIDLE) for commands and data, dfuMANIFEST or
     *         dfuMANIFEST-WAIT-RESET after a zero-length DNLOAD
     * @throws DfuStatusException  the device reported an error
     * @throws DfuTimeoutException the operation did not finish within its overall timeout
     */
    public DfuStatus awaitCompletion(DfuOperation operation) {
        return awaitCompletion(operation, operation.description());
    }

    /** {@code what} null: the block set by {@link #currentBlock}, described only if it fails. */
    private DfuStatus awaitCompletion(DfuOperation operation, String what) {
        Duration overall = options.operationTimeout(operation);
        long deadline = clock.nanoTime() + overall.toNanos();
        int lastPollMillis = 0;
        int stalls = 0;
        long earliestPoll = clock.nanoTime();
        while (true) {
            waitUntil(earliestPoll);
            DfuStatus status;
            try {
                status = getStatus(options.statusTimeout(operation, lastPollMillis));
            } catch (StallException stall) {
                if (++stalls > options.maxBusyStalls()) {
                    throw stall;
                }
                long now = clock.nanoTime();
                long backoff = Math.max(Duration.ofMillis(lastPollMillis).toNanos(), options.stallBackoff().toNanos());
                if (now + backoff > deadline) {
                    throw new DfuTimeoutException(describe(what) + " did not finish within " + overall
                            + " (GETSTATUS stalled " + stalls + " times)", DfuRequest.DNLOAD, lastStatus);
                }
                earliestPoll = now + backoff;
                continue;
            }
            long answeredAt = clock.nanoTime();
            if (status.isError()) {
                throw new DfuStatusException(describe(what) + " failed", DfuRequest.DNLOAD, status);
            }
            switch (status.state()) {
                case DFU_DNLOAD_IDLE, DFU_IDLE, DFU_MANIFEST, DFU_MANIFEST_WAIT_RESET -> {
                    return status;
                }
                case DFU_DNBUSY, DFU_DNLOAD_SYNC, DFU_MANIFEST_SYNC -> {
                    lastPollMillis = status.pollTimeoutMillis();
                    long wait = Math.max(Duration.ofMillis(lastPollMillis).toNanos(),
                            options.minPollInterval().toNanos());
                    if (answeredAt + wait > deadline) {
                        throw new DfuTimeoutException(describe(what) + " did not finish within " + overall,
                                DfuRequest.DNLOAD, status);
                    }
                    earliestPoll = answeredAt + wait;
                }
                default -> throw new DfuProtocolException(describe(what) + ": unexpected state " + status.state()
                        + " while awaiting completion", DfuRequest.DNLOAD, status.status(), status.state());
            }
        }
    }

    /**
     * Brings the device into a state that accepts the next request (AN3156 sections 4.2 and 5):
     * dfuERROR is cleared with CLRSTATUS, dfuDNLOAD-IDLE / dfuUPLOAD-IDLE left with ABORT, a busy
     * device waited for. Asks GETSTATUS only when the state is not known; a recovery from a state the
     * device reported is confirmed with another GETSTATUS, a transition from a state the engine
     * tracked itself (ABORT after its own reads) is trusted.
     *
     * @throws DfuStateException when the device is not there after the configured recovery tries
     *                           or is in a state it only leaves by a reset (dfuMANIFEST...)
     */
    public void ensureIdle(IdleFor purpose) {
        int tries = 0;
        while (true) {
            DfuState state = knownState;
            boolean observed = false;
            boolean errorReported = false;
            if (state == null) {
                observed = true;
                try {
                    DfuStatus status = getStatus();
                    state = status.state();
                    errorReported = status.isError();
                } catch (StallException stall) {
                    // A stalled request leaves a DFU 1.1 device in dfuERROR.
                    state = DfuState.DFU_ERROR;
                }
            }
            if (purpose.accepts(state) && !errorReported) {
                return;
            }
            if (tries >= options.maxRecoveryTries()) {
                throw new DfuStateException("device did not reach " + purpose.acceptedStates() + " after " + tries
                        + " recovery tries", null, lastStatus);
            }
            tries++;
            try {
                switch (state) {
                    case DFU_ERROR -> clearStatus();
                    case DFU_IDLE, DFU_DNLOAD_IDLE, DFU_UPLOAD_IDLE -> {
                        if (errorReported) {
                            clearStatus();
                        } else {
                            abort();
                        }
                    }
                    case DFU_DNLOAD_SYNC, DFU_DNBUSY, DFU_MANIFEST_SYNC -> {
                        int poll = lastStatus == null ? 0 : lastStatus.pollTimeoutMillis();
                        sleep(Duration.ofNanos(Math.max(Duration.ofMillis(poll).toNanos(),
                                options.minPollInterval().toNanos())));
                        knownState = null;
                    }
                    case DFU_MANIFEST, DFU_MANIFEST_WAIT_RESET, APP_IDLE, APP_DETACH ->
                        throw new DfuStateException("device is in " + state
                                + " and only leaves it by a reset", null, lastStatus);
                }
            } catch (StallException stall) {
                knownState = null;
                continue;
            }
            if (observed) {
                knownState = null;
            }
        }
    }

    // ---------------------------------------------------------------- alt settings and layouts

    public List<DfuAltSetting> altSettings() {
        return altSettings;
    }

    /** The memory layout of an alt setting; throws {@link MemoryLayoutException} for a bad name. */
    public MemoryLayout layout(int alternateSetting) {
        return altSetting(alternateSetting).layout();
    }

    /** The alt setting whose layout contains {@code address}, if any. */
    public Optional<DfuAltSetting> altSettingFor(long address) {
        for (DfuAltSetting alt : altSettings) {
            Optional<MemoryLayout> layout = parsedLayout(alt);
            if (layout.isPresent() && layout.get().contains(address)) {
                return Optional.of(alt);
            }
        }
        return Optional.empty();
    }

    public int currentAltSetting() {
        return currentAlt;
    }

    /** Selects an alt setting (SET_INTERFACE) unless it is already the current one. */
    public void selectAltSetting(int alternateSetting) {
        altSetting(alternateSetting);
        if (alternateSetting == currentAlt) {
            return;
        }
        // DFU 1.1 lets the host change alternate settings only in dfuIDLE: leave a download or
        // upload run (ABORT) or an error (CLRSTATUS) first.
        ensureIdle(IdleFor.IDLE);
        transport.selectAltSetting(alternateSetting);
        statistics.countAltSwitch();
        currentAlt = alternateSetting;
        knownState = null;
    }

    private void selectAltSettingFor(long address) {
        altSettingFor(address).ifPresent(alt -> selectAltSetting(alt.alternateSetting()));
    }

    private DfuAltSetting altSetting(int alternateSetting) {
        return altSettings.stream().filter(a -> a.alternateSetting() == alternateSetting).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no alt setting " + alternateSetting + "; the device has "
                        + altSettings.stream().map(DfuAltSetting::alternateSetting).toList()));
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
        byte[] commands = uploadExplained(0, Math.min(GET_COMMANDS_LENGTH, transferSize), "Get command");
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
                    + HEX.formatHex(commands), DfuRequest.UPLOAD, null, knownState);
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

    /** Erases the page or sector that contains {@code address} (Erase 0x41 with an address). */
    public void eraseSector(long address) {
        checkAddress(address, 0);
        selectAltSettingFor(address);
        ensureIdle(IdleFor.DOWNLOAD);
        command(DfuOperation.ERASE_SECTOR, "erase sector at " + hex(address), DfuSeCommand.ERASE.payload(address));
    }

    /** Mass erase (Erase 0x41 without an address) on the internal flash alt setting. */
    public void massErase() {
        selectAltSettingFor(DEFAULT_FLASH_START);
        ensureIdle(IdleFor.DOWNLOAD);
        command(DfuOperation.MASS_ERASE, "mass erase", DfuSeCommand.ERASE.payload());
    }

    /**
     * Read Unprotect (0x92). The device mass-erases, removes read protection and resets, so it
     * usually cannot answer the second GETSTATUS: disappearing after the command is success. The
     * caller waits for the device to enumerate again.
     */
    public void readUnprotect() {
        ensureIdle(IdleFor.DOWNLOAD);
        downloadExplained(0, DfuSeCommand.READ_UNPROTECT.payload(), "read unprotect");
        try {
            awaitCompletion(DfuOperation.READ_UNPROTECT);
        } catch (DeviceGoneException reset) {
            // AN3156 section 5.4: the device resets after removing the protection.
        }
        knownState = null;
    }

    /**
     * Writes one option-byte block at its base address. The ROM erases all options, writes the block
     * and resets (AN3156 section 5.1), so disappearing afterwards is success.
     */
    public void writeOptionBytes(long base, byte[] block) {
        Objects.requireNonNull(block, "block");
        if (block.length < BlockPlan.MIN_BLOCK_LENGTH || block.length > transferSize) {
            throw new IllegalArgumentException("an option-byte block must be 2 to " + transferSize
                    + " bytes (one DNLOAD), got " + block.length);
        }
        checkAddress(base, block.length);
        selectAltSettingFor(base);
        ensureIdle(IdleFor.DOWNLOAD);
        sendAddressPointer(base);
        downloadExplained(BlockPlan.FIRST_BLOCK_NUMBER, block.clone(), "write option bytes at " + hex(base));
        try {
            awaitCompletion(DfuOperation.WRITE_OPTION_BYTES, "write option bytes at " + hex(base));
        } catch (DeviceGoneException reset) {
            // The ROM resets to load the new option bytes.
        }
        knownState = null;
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
        downloadExplained(BlockPlan.FIRST_BLOCK_NUMBER, new byte[0], "leave DFU mode");
        DfuStatus status;
        try {
            status = awaitCompletion(DfuOperation.LEAVE);
        } catch (DeviceGoneException gone) {
            knownState = null;
            return LeaveOutcome.DISCONNECTED;
        }
        knownState = null;
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
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(off, len, data.length);
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancelled, "cancelled");
        checkAddress(address, len);
        if (len == 0) {
            return;
        }
        if (len == 1) {
            throw new IllegalArgumentException("cannot write a single byte at " + hex(address)
                    + ": the bootloader's minimum write is 2 bytes; include a neighbouring byte");
        }
        BlockPlan plan = BlockPlan.of(address, len, transferSize);
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
            downloadExplained(block.blockNumber(), chunk, null);
            awaitCompletion(DfuOperation.WRITE_MEMORY, null);
            done += block.length();
            progress.onProgress(done, len);
        }
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
        Objects.requireNonNull(dst, "dst");
        Objects.checkFromIndexSize(off, len, dst.length);
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancelled, "cancelled");
        checkAddress(address, len);
        if (len == 0) {
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
        BlockPlan plan = BlockPlan.of(address, len, transferSize);
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
            byte[] got = uploadExplained(block.blockNumber(), block.length(), null);
            if (got.length != block.length()) {
                throw new DfuProtocolException(describeBlock() + ": device sent " + got.length + " bytes",
                        DfuRequest.UPLOAD, null, knownState);
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

    private String describe(String what) {
        return what != null ? what : describeBlock();
    }

    private String describeBlock() {
        return (blockIsWrite ? "write " : "read ") + blockLength + " bytes at " + hex(blockAddress);
    }

    /** The reusable buffer for a full block, a new array for the rare shorter one. */
    private byte[] blockSizedBuffer(int length) {
        if (length != transferSize) {
            return new byte[length];
        }
        if (blockBuffer == null) {
            blockBuffer = new byte[transferSize];
        }
        return blockBuffer;
    }

    private void sendAddressPointer(long address) {
        command(DfuOperation.SET_ADDRESS_POINTER, "set address pointer to " + hex(address),
                DfuSeCommand.SET_ADDRESS_POINTER.payload(address));
    }

    private void command(DfuOperation operation, String what, byte[] payload) {
        downloadExplained(0, payload, what);
        awaitCompletion(operation, what);
    }

    /** DNLOAD; when the device stalls it, GETSTATUS tells why (e.g. errVENDOR under read protection). */
    private void downloadExplained(int blockNumber, byte[] data, String what) {
        try {
            download(blockNumber, data);
        } catch (StallException stall) {
            throw explainStall(stall, DfuRequest.DNLOAD, what);
        }
    }

    private byte[] uploadExplained(int blockNumber, int length, String what) {
        try {
            return upload(blockNumber, length);
        } catch (StallException stall) {
            throw explainStall(stall, DfuRequest.UPLOAD, what);
        }
    }

    private DfuException explainStall(StallException stall, DfuRequest request, String what) {
        DfuStatus status;
        try {
            status = getStatus();
        } catch (DfuException e) {
            stall.addSuppressed(e);
            return stall;
        }
        if (status.isError()) {
            DfuStatusException reported = new DfuStatusException(describe(what) + " was stalled", request, status);
            reported.addSuppressed(stall);
            return reported;
        }
        return stall;
    }

    private DfuStatus getStatus(Duration timeout) {
        byte[] answer = in(DfuRequest.GETSTATUS, 0, DfuRequest.STATUS_LENGTH, timeout);
        DfuStatus status;
        try {
            status = DfuStatus.decode(answer);
        } catch (DfuProtocolException e) {
            knownState = null;
            throw e;
        }
        lastStatus = status;
        knownState = status.state();
        return status;
    }

    private void out(DfuRequest request, int wValue, byte[] data) {
        ControlSetup setup = request.setup(wValue, interfaceNumber, data.length);
        statistics.countTransfer(request);
        try {
            transport.controlOut(setup, data, options.transferTimeout());
        } catch (RuntimeException e) {
            knownState = null;
            throw e;
        }
    }

    private byte[] in(DfuRequest request, int wValue, int length, Duration timeout) {
        ControlSetup setup = request == DfuRequest.GETSTATUS && wValue == 0 && length == DfuRequest.STATUS_LENGTH
                ? getStatusSetup : request.setup(wValue, interfaceNumber, length);
        statistics.countTransfer(request);
        byte[] data;
        try {
            data = transport.controlIn(setup, timeout);
        } catch (RuntimeException e) {
            knownState = null;
            throw e;
        }
        if (data == null || data.length > length) {
            knownState = null;
            throw new DfuProtocolException(request + " answered " + (data == null ? "nothing" : data.length + " bytes")
                    + " to a request for " + length);
        }
        return data;
    }

    private void waitUntil(long nanoTime) {
        long remaining = nanoTime - clock.nanoTime();
        if (remaining > 0) {
            sleep(Duration.ofNanos(remaining));
        }
    }

    private void sleep(Duration duration) {
        try {
            clock.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DfuCancelledException("interrupted while waiting for the device", e);
        }
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
