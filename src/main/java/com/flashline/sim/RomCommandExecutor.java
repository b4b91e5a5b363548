package com.flashline.sim;

import com.flashline.dfu.DfuSeCommand;
import com.flashline.dfu.DfuStatusCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.BitSet;
import java.util.Optional;

/**
 * What the simulated ROM does with a request the USB side has accepted (AN3156 sections 4 and 5):
 * the DfuSe commands, a data block written to or read from memory, the option bytes with read
 * protection, and the vector-table check of Leave DFU mode, each with the time it takes on the
 * chip. It knows nothing of setup packets or DFU states: {@link DfuRequestDispatcher} decides when
 * a request may reach it and turns what it reports into GETSTATUS answers, stalls and logged
 * protocol violations.
 *
 * <p>Not thread-safe; the board guards it with its own lock.
 */
final class RomCommandExecutor {

    /**
     * What executing a command or a written block produced: its status, how long it runs, whether
     * it is an erase (some ROMs stall GETSTATUS while erasing), whether the chip resets after it
     * (Read Unprotect, option bytes), and the first flash program unit the write found not erased
     * ({@link #NOTHING_UNERASED} when the host had erased what it wrote).
     */
    record Outcome(DfuStatusCode status, Duration time, boolean erase, DisconnectReason resetAfter,
            long unerasedUnit) {

        static final long NOTHING_UNERASED = -1;

        static Outcome ok(Duration time) {
            return new Outcome(DfuStatusCode.OK, time, false, null, NOTHING_UNERASED);
        }

        static Outcome erased(Duration time) {
            return new Outcome(DfuStatusCode.OK, time, true, null, NOTHING_UNERASED);
        }

        static Outcome resetAfter(Duration time, boolean erase, DisconnectReason reason) {
            return new Outcome(DfuStatusCode.OK, time, erase, reason, NOTHING_UNERASED);
        }

        static Outcome error(DfuStatusCode status) {
            return new Outcome(status, Duration.ZERO, false, null, NOTHING_UNERASED);
        }

        boolean wroteUnerasedFlash() {
            return unerasedUnit != NOTHING_UNERASED;
        }
    }

    /** A read the ROM refuses: the UPLOAD is stalled and the device reports {@link #status}. */
    static final class ReadRefused extends RuntimeException {
        final DfuStatusCode status;

        ReadRefused(DfuStatusCode status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** A {@link Fault.DisconnectOnWrite} fired: the board leaves the bus before anything is written. */
    static final class CablePulled extends RuntimeException {
        final Fault.DisconnectOnWrite fault;

        CablePulled(Fault.DisconnectOnWrite fault) {
            super(null, null, false, false);
            this.fault = fault;
        }
    }

    private final ChipProfile profile;
    private final SimOptions options;
    private final TimingModel timing;
    private final SimMemory memory;
    private final FaultPlan faults;
    private final BitSet writeProtected = new BitSet();

    private long addressPointer;
    private long jumpAddress;
    private int erases;
    private long flashBytesProgrammed;

    RomCommandExecutor(ChipProfile profile, SimOptions options, TimingModel timing, SimMemory memory,
            FaultPlan faults) {
        this.profile = profile;
        this.options = options;
        this.timing = timing;
        this.memory = memory;
        this.faults = faults;
        reset();
    }

    /** After a reset the pointer and the Leave address are the flash start (AN3156 section 4.1). */
    void reset() {
        addressPointer = profile.flash().base();
        jumpAddress = addressPointer;
    }

    long addressPointer() {
        return addressPointer;
    }

    FlashWork flashWork() {
        return new FlashWork(erases, flashBytesProgrammed);
    }

    /** Write-protects the flash sector that holds {@code address}. */
    void writeProtect(long address) {
        int index = memory.sectorIndex(address);
        if (index < 0) {
            throw new IllegalArgumentException(String.format("0x%08x is not in internal flash", address));
        }
        writeProtected.set(index);
    }

    boolean readProtected() {
        ChipProfile.OptionBytesSpec ob = profile.optionBytes();
        int rdp = memory.read(ob.rdpAddress(), 1)[0] & 0xFF;
        return rdp != ob.rdpLevel0();
    }

    void setReadProtection(boolean on) {
        ChipProfile.OptionBytesSpec ob = profile.optionBytes();
        int value = on ? (ob.rdpLevel0() == 0xA5 ? 0x00 : 0xBB) : ob.rdpLevel0();
        memory.store(ob.rdpAddress(), new byte[] {(byte) value});
    }

    // ---------------------------------------------------------------- DfuSe commands

    /** Executes a well-formed command ({@link DfuSeCommand#acceptsLength} holds for the payload). */
    Outcome command(DfuSeCommand command, byte[] payload) {
        return switch (command) {
            case SET_ADDRESS_POINTER -> setAddressPointer(DfuSeCommand.address(payload));
            case ERASE -> payload.length == DfuSeCommand.LENGTH_ALONE ? massErase()
                    : eraseSector(DfuSeCommand.address(payload));
            case READ_UNPROTECT -> readUnprotect();
            case GET_COMMANDS -> throw new IllegalArgumentException("Get is read with an UPLOAD, never executed");
        };
    }

    /** The answer to Get: all four codes (AN3156 section 4.2). */
    byte[] supportedCommands() {
        return DfuSeCommand.supportedCodes();
    }

    private Outcome setAddressPointer(long address) {
        if (!validPointer(address)) {
            return Outcome.error(DfuStatusCode.ERR_TARGET);
        }
        addressPointer = address;
        jumpAddress = address;
        return Outcome.ok(Duration.ZERO);
    }

    private Outcome massErase() {
        if (readProtected()) {
            return Outcome.error(DfuStatusCode.ERR_VENDOR);
        }
        Optional<Fault.ErrorStatusOnNextWriteOrErase> f = nextWriteOrEraseFault();
        if (f.isPresent()) {
            return Outcome.error(f.get().status());
        }
        for (int i = 0; i < memory.sectors().size(); i++) {
            if (!writeProtected.get(i)) {
                memory.eraseSector(i);
            }
        }
        erases++;
        return Outcome.erased(timing.massEraseTime());
    }

    private Outcome eraseSector(long address) {
        if (readProtected()) {
            return Outcome.error(DfuStatusCode.ERR_VENDOR);
        }
        int index = memory.sectorIndex(address);
        if (index < 0) {
            return Outcome.error(DfuStatusCode.ERR_TARGET);
        }
        Optional<Fault.ErrorStatusOnNextWriteOrErase> f = nextWriteOrEraseFault();
        if (f.isPresent()) {
            return Outcome.error(f.get().status());
        }
        if (!writeProtected.get(index)) {
            memory.eraseSector(index);
        }
        erases++;
        return Outcome.erased(timing.eraseTime(memory.sectors().get(index)));
    }

    /** Whether or not the chip was protected, the RAM is cleared and the chip resets (AN3156 section 5.4). */
    private Outcome readUnprotect() {
        if (readProtected()) {
            memory.eraseAllFlash();
            memory.resetOptionBytes();
            writeProtected.clear();
        }
        memory.clearRam();
        return Outcome.resetAfter(timing.massEraseTime(), true, DisconnectReason.READ_UNPROTECT);
    }

    private Optional<Fault.ErrorStatusOnNextWriteOrErase> nextWriteOrEraseFault() {
        return faults.take(Fault.ErrorStatusOnNextWriteOrErase.class, x -> true);
    }

    private boolean validPointer(long address) {
        Optional<SimMemory.Area> area = memory.areaFor(address, 1);
        if (area.isEmpty()) {
            return false;
        }
        return area.get().kind() != SimMemory.Kind.RAM || profile.ram().userRegion().contains(address, 1);
    }

    // ---------------------------------------------------------------- Write Memory / Read Memory

    /** AN3156's {@code (wBlockNum - 2) * wTransferSize + pointer}, under the reading the options choose. */
    private long blockAddress(int blockNum, int length) {
        int size = options.blockAddressing() == SimOptions.BlockAddressing.TRANSFER_SIZE
                ? profile.transferSize() : length;
        return ((blockNum - 2L) * size + addressPointer) & 0xFFFF_FFFFL;
    }

    /**
     * Writes one data block (wBlockNum &ge; 2) at its address.
     *
     * @throws CablePulled when an injected fault takes the board off the bus at this write
     */
    Outcome writeBlock(int blockNum, byte[] data) {
        long address = blockAddress(blockNum, data.length);
        if (readProtected()) {
            return Outcome.error(DfuStatusCode.ERR_VENDOR);
        }
        Optional<Fault.DisconnectOnWrite> gone = faults.take(Fault.DisconnectOnWrite.class,
                f -> f.address() >= address && f.address() < address + data.length);
        if (gone.isPresent()) {
            throw new CablePulled(gone.get());
        }
        Optional<ChipProfile.OptionBlock> optionBlock = profile.optionBytes().blockAt(address);
        if (optionBlock.isPresent()) {
            ChipProfile.OptionBlock block = optionBlock.get();
            if (address != block.base() || data.length != block.size()) {
                return Outcome.error(DfuStatusCode.ERR_TARGET);
            }
            // "All options are erased before writing the new values", then the ROM resets.
            memory.store(address, data);
            corruptAfterWrite(address, data.length);
            Duration time = timing.eraseTime(memory.sectors().get(0)).plus(timing.programTime(data.length));
            return Outcome.resetAfter(time, false, DisconnectReason.OPTION_BYTES_WRITTEN);
        }
        Optional<SimMemory.Area> target = memory.areaFor(address, data.length);
        if (data.length < 2 || target.isEmpty()) {
            return Outcome.error(DfuStatusCode.ERR_TARGET);
        }
        SimMemory.Area area = target.get();
        if (area.kind() != SimMemory.Kind.FLASH && area.kind() != SimMemory.Kind.RAM
                && area.kind() != SimMemory.Kind.OTP) {
            return Outcome.error(DfuStatusCode.ERR_TARGET);
        }
        Optional<Fault.ErrorStatusOnNextWriteOrErase> f = nextWriteOrEraseFault();
        if (f.isPresent()) {
            return Outcome.error(f.get().status());
        }
        switch (area.kind()) {
            case RAM -> {
                if (!profile.ram().userRegion().contains(address, data.length)) {
                    return Outcome.error(DfuStatusCode.ERR_TARGET);
                }
                memory.store(address, data);
                jumpAddress = address;
                return Outcome.ok(Duration.ZERO);
            }
            case FLASH -> {
                if (faults.skipsFlashWriteAt(address)) {
                    return Outcome.ok(timing.programTime(data.length));
                }
                flashBytesProgrammed += data.length;
                long unerased = programFlash(address, data);
                corruptAfterWrite(address, data.length);
                boolean refused = unerased != Outcome.NOTHING_UNERASED && profile.programFailsOnUnerased();
                if (!refused) {
                    jumpAddress = address;
                }
                return new Outcome(refused ? DfuStatusCode.ERR_PROG : DfuStatusCode.OK,
                        timing.programTime(data.length), false, null, unerased);
            }
            case OTP -> {
                area.clearBits(address, data, 0, data.length);
                corruptAfterWrite(address, data.length);
                return Outcome.ok(timing.programTime(data.length));
            }
            default -> {
                return Outcome.error(DfuStatusCode.ERR_TARGET);
            }
        }
    }

    /** Applies an injected {@link Fault.CorruptWrite} that falls in the block just written. */
    private void corruptAfterWrite(long address, int length) {
        faults.take(Fault.CorruptWrite.class, c -> c.address() >= address && c.address() < address + length)
                .ifPresent(c -> memory.store(c.address(),
                        new byte[] {(byte) (memory.read(c.address(), 1)[0] ^ c.xorMask())}));
    }

    /**
     * Programs unit by unit. A unit only partly covered by the data is padded with 0xFF (which
     * leaves its other bytes unchanged). Flash can only clear bits; on families whose controller
     * refuses to program a unit that is not erased, the write stops at that unit.
     *
     * @return the first unit that was not erased, or {@link Outcome#NOTHING_UNERASED}
     */
    private long programFlash(long address, byte[] data) {
        SimMemory.Area flash = memory.flash();
        int unit = profile.programUnit();
        long end = address + data.length;
        long firstUnerased = Outcome.NOTHING_UNERASED;
        // Sector by sector (protection is per sector, and sectors are whole program units), and
        // within a sector everything up to the first unit that is not erased in one bulk step: a
        // simulated fixture runs dozens of these at once.
        long u = address - Math.floorMod(address, unit);
        while (u < end) {
            int sector = memory.sectorIndex(u);
            long sectorEnd = memory.sectors().get(sector).end();
            long spanEnd = Math.min(end, sectorEnd);
            long unitsEnd = Math.min(sectorEnd, spanEnd + Math.floorMod(-spanEnd, unit));
            if (!writeProtected.get(sector)) {
                while (u < spanEnd) {
                    long dirty = flash.firstOther(u, (int) (unitsEnd - u), (byte) 0xFF);
                    long cleanEnd = dirty < 0 ? unitsEnd : dirty - Math.floorMod(dirty, unit);
                    program(flash, address, data, u, cleanEnd);
                    if (dirty < 0) {
                        break;
                    }
                    if (firstUnerased == Outcome.NOTHING_UNERASED) {
                        firstUnerased = cleanEnd;
                    }
                    if (profile.programFailsOnUnerased()) {
                        return firstUnerased;
                    }
                    program(flash, address, data, cleanEnd, cleanEnd + unit);
                    u = cleanEnd + unit;
                }
            }
            u = sectorEnd;
        }
        return firstUnerased;
    }

    /** Programs the part of [from, to) that {@code data} (which starts at {@code address}) covers. */
    private static void program(SimMemory.Area flash, long address, byte[] data, long from, long to) {
        long start = Math.max(from, address);
        long stop = Math.min(to, address + data.length);
        if (start < stop) {
            flash.clearBits(start, data, (int) (start - address), (int) (stop - start));
        }
    }

    /**
     * Reads one data block (wBlockNum &ge; 2), with any injected readback corruption applied.
     *
     * @throws ReadRefused under read protection, or for a range the ROM does not read
     */
    byte[] readBlock(int blockNum, int length) {
        long address = blockAddress(blockNum, length);
        if (readProtected()) {
            throw new ReadRefused(DfuStatusCode.ERR_VENDOR, "read protection is active");
        }
        if (!readable(address, length)) {
            throw new ReadRefused(DfuStatusCode.ERR_TARGET,
                    String.format("cannot read %d bytes at 0x%08x", length, address));
        }
        byte[] out = memory.read(address, length);
        for (Fault.CorruptReadback c : faults.corruptions()) {
            for (int i = 0; i < length; i++) {
                long a = address + i;
                if (a >= c.start() && a < c.end()) {
                    out[i] ^= (byte) c.xorMask();
                }
            }
        }
        return out;
    }

    private boolean readable(long address, int length) {
        Optional<ChipProfile.OptionBlock> block = profile.optionBytes().blockAt(address);
        if (block.isPresent()) {
            return address == block.get().base() && length == block.get().size();
        }
        Optional<SimMemory.Area> area = memory.areaFor(address, length);
        if (area.isEmpty() || length < 2) {
            return false;
        }
        return area.get().kind() != SimMemory.Kind.RAM || profile.ram().userRegion().contains(address, length);
    }

    // ---------------------------------------------------------------- Leave DFU mode

    /**
     * Leave DFU mode (AN3156 section 5.5): the jump to the application when the vector table at the
     * last pointer (or last written block) looks like code, empty when the chip resets instead.
     */
    Optional<Jump> applicationJump(long now) {
        long table = jumpAddress;
        Optional<SimMemory.Area> area = memory.areaFor(table, 8);
        if (area.isPresent() && (area.get().kind() == SimMemory.Kind.FLASH || area.get().kind() == SimMemory.Kind.RAM)) {
            byte[] vectors = memory.read(table, 8);
            long sp = le32(vectors, 0);
            long pc = le32(vectors, 4);
            ChipProfile.Region ram = profile.ram().region();
            boolean stackInRam = sp > ram.base() && sp <= ram.end();
            long handler = pc & ~1L;
            boolean codeThere = profile.flash().contains(handler, 2) || ram.contains(handler, 2);
            if (stackInRam && codeThere) {
                return Optional.of(new Jump(table, sp, pc, now));
            }
        }
        return Optional.empty();
    }

    private static long le32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
    }
}
