package com.flashline.flashing;

import com.flashline.dfu.BlockSink;
import com.flashline.dfu.DeviceGoneException;
import com.flashline.dfu.DfuAltSetting;
import com.flashline.dfu.DfuCancelledException;
import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuException;
import com.flashline.dfu.DfuFunctionalDescriptor;
import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.DfuProtocolException;
import com.flashline.dfu.DfuSeDevice;
import com.flashline.dfu.DfuStatusCode;
import com.flashline.dfu.DfuStatusException;
import com.flashline.dfu.DfuTransport;
import com.flashline.dfu.IdleFor;
import com.flashline.dfu.LeaveOutcome;
import com.flashline.dfu.MemoryLayout;
import com.flashline.dfu.MemoryLayoutException;
import com.flashline.dfu.MemoryRegion;
import com.flashline.dfu.Sector;
import com.flashline.dfu.TransferProgress;
import com.flashline.dfu.TransferStatistics;
import com.flashline.dfu.UsbDeviceInfo;
import com.flashline.error.FailureCode;
import com.flashline.firmware.ErasePlan;
import com.flashline.firmware.FirmwareImage;
import com.flashline.firmware.FirmwareValidationException;
import com.flashline.firmware.FirmwareValidator;
import com.flashline.firmware.Segment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Flashes one board: CONNECT, IDENTIFY, UNPROTECT, ERASE, WRITE, VERIFY, SERIALIZE, LEAVE.
 * Plain Java, one instance may serve many threads; each {@link #run} drives one board.
 *
 * <p>Decisions worth knowing (see docs/protocol.md for the bus-level sequence):
 * <ul>
 * <li>The image is checked against the device's layouts in IDENTIFY, before anything is erased
 *     or unprotected: only internal-flash segments are written from the image; option bytes come
 *     as {@link FlashRequest#optionBytes()} (code {@code OPTION_BYTES_IN_IMAGE} otherwise).</li>
 * <li>Every segment is widened with 0xFF to {@link WritePlan#PROGRAM_ALIGNMENT}-byte program units
 *     and runs that then touch are merged, so no program unit is written twice.</li>
 * <li>The serial record is allocated in SERIALIZE, after VERIFY passed, so a board that fails
 *     earlier spends no number; its sector is erased there unless ERASE already erased it.</li>
 * <li>Option bytes are written in the SERIALIZE phase, after the serial record: write, the board
 *     resets and re-enumerates, reconnect, read back and compare.</li>
 * <li>After Read Unprotect the ROM has mass-erased the flash (AN3156 section 3), so ERASE erases
 *     nothing more; VERIFY would catch a flash that was not blank.</li>
 * <li>ERASE reads a touched sector first when that is cheaper than erasing it on the family
 *     ({@link ChipCatalog.EraseTimes}, {@link EraseCostModel}): a blank sector is written without
 *     an erase, a sector already holding exactly its part of the image is neither erased nor
 *     written, any other sector is erased — all at once when that is the whole flash and the
 *     family's mass erase is faster. The board ends byte for byte as if erased and written;
 *     VERIFY still reads every image byte (docs/protocol.md, "Erase planning").</li>
 * </ul>
 */
public final class FlashPipeline {

    private static final HexFormat UID_HEX = HexFormat.of().withUpperCase();
    private static final int FLASH_ATTRIBUTES = MemoryRegion.ERASABLE | MemoryRegion.WRITEABLE;

    private final DfuClock clock;
    private final DfuOptions options;
    private final ChipCatalog chips;

    private final RecentWritePlans plans = new RecentWritePlans();

    public FlashPipeline(DfuClock clock, DfuOptions options, ChipCatalog chips) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.chips = Objects.requireNonNull(chips, "chips");
    }

    /**
     * Runs the whole sequence on the board behind {@code connector}.
     *
     * @param cancelled polled between blocks and phases; when it turns true the run stops with a
     *                  {@link FlashFailure} of code {@code CANCELLED}
     * @return the report of a board that passed
     * @throws FlashFailure for every way a board can fail
     */
    public FlashReport run(FlashRequest request, DeviceConnector connector, FlashListener listener,
            BooleanSupplier cancelled) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(connector, "connector");
        return new Job(request, connector, listener == null ? FlashListener.NONE : listener,
                cancelled == null ? () -> false : cancelled).run();
    }

    /** How long the first connect may wait for the board. */
    Duration connectTimeout() {
        return options.commandTimeout();
    }

    /** How long a reconnect after a reset may wait: the ROM may mass-erase before it enumerates again. */
    Duration reconnectTimeout() {
        return options.massEraseTimeout();
    }

    /** One opened enumeration of the board: transport, engine and the parsed layouts of its alt settings. */
    private record Connection(DfuTransport transport, DfuSeDevice device, List<MemoryLayout> layouts) {
    }

    /** The state of one run; not shared between threads. */
    private final class Job {
        private final FlashRequest request;
        private final DeviceConnector connector;
        private final FlashListener listener;
        private final BooleanSupplier cancelled;
        private final TransferStatistics statistics = new TransferStatistics();
        private final List<PhaseTiming> timings = new ArrayList<>();
        /** Flash sectors whose bytes outside the image are known to be 0xFF (erased, found blank, or found equal). */
        private final Set<Long> preparedSectors = new HashSet<>();
        private final WritePlan plan;
        /** What WRITE sends: {@link #plan} without the sectors that already hold their part of the image. */
        private WritePlan toWrite;

        private Phase phase = Phase.CONNECT;
        private Connection connection;
        private ChipCatalog.ChipFamily family;
        private DeviceIdentity identity;
        private boolean readProtected;
        private boolean flashBlank;
        private long bytesErased;
        private long bytesWritten;
        private long bytesVerified;
        private SerialRecord serial;
        private LeaveOutcome leaveOutcome;

        Job(FlashRequest request, DeviceConnector connector, FlashListener listener, BooleanSupplier cancelled) {
            this.request = request;
            this.connector = connector;
            this.listener = listener;
            this.cancelled = cancelled;
            this.plan = plans.of(request.image().segments());
            this.toWrite = plan;
        }

        FlashReport run() {
            try {
                phase(Phase.CONNECT, () -> connection = open(connectTimeout()));
                phase(Phase.IDENTIFY, this::identify);
                if (readProtected) {
                    phase(Phase.UNPROTECT, this::unprotect);
                }
                phase(Phase.ERASE, this::erase);
                phase(Phase.WRITE, this::write);
                phase(Phase.VERIFY, this::verify);
                if (request.serial() != null || request.optionBytes() != null) {
                    phase(Phase.SERIALIZE, this::serialize);
                }
                if (request.leave()) {
                    phase(Phase.LEAVE, this::leave);
                } else {
                    // Hand the board over in dfuIDLE, not in dfuUPLOAD-IDLE after VERIFY: the next host
                    // (dfu-util, a retry) starts with SET_INTERFACE, which DFU allows only in dfuIDLE.
                    connection.device().ensureIdle(IdleFor.IDLE);
                }
                close();
                return new FlashReport(identity, serial, bytesErased, bytesWritten, bytesVerified, timings,
                        statistics, leaveOutcome);
            } catch (RuntimeException e) {
                throw failure(e);
            } finally {
                close();
            }
        }

        private void phase(Phase next, Runnable body) {
            phase = next;
            checkCancelled();
            listener.phaseStarted(next);
            long started = clock.nanoTime();
            body.run();
            Duration took = Duration.ofNanos(clock.nanoTime() - started);
            timings.add(new PhaseTiming(next, took));
            listener.phaseFinished(next, took);
        }

        // ------------------------------------------------------------ CONNECT

        private Connection open(Duration timeout) {
            DfuTransport transport = connector.connect(timeout);
            try {
                DfuFunctionalDescriptor descriptor = transport.functionalDescriptor();
                if (!descriptor.canDownload() || !descriptor.canUpload()) {
                    throw fail(FailureCode.UNSUPPORTED_DEVICE, "the DFU interface cannot "
                            + (descriptor.canDownload() ? "upload" : "download") + " (bmAttributes 0x"
                            + Integer.toHexString(descriptor.bmAttributes()) + ")");
                }
                DfuSeDevice device = new DfuSeDevice(transport, clock, options);
                List<MemoryLayout> layouts = new ArrayList<>();
                for (DfuAltSetting alt : transport.altSettings()) {
                    layouts.add(alt.layout());
                }
                if (layouts.stream().flatMap(l -> l.regions().stream())
                        .noneMatch(r -> (r.attributes() & FLASH_ATTRIBUTES) == FLASH_ATTRIBUTES)) {
                    throw fail(FailureCode.UNSUPPORTED_DEVICE, "no alt setting describes erasable, writeable flash: "
                            + transport.altSettings().stream().map(DfuAltSetting::name).toList());
                }
                device.getCommands();
                device.ensureIdle(IdleFor.IDLE);
                return new Connection(transport, device, List.copyOf(layouts));
            } catch (MemoryLayoutException e) {
                transport.close();
                throw new FlashFailure(phase, FailureCode.UNSUPPORTED_DEVICE, "unreadable memory layout: " + e.getMessage(),
                        null, false, e);
            } catch (DfuProtocolException e) {
                transport.close();
                throw new FlashFailure(phase, FailureCode.UNSUPPORTED_DEVICE, "not an STM32 DfuSe bootloader: " + e.getMessage(),
                        null, false, e);
            } catch (RuntimeException e) {
                transport.close();
                throw e;
            }
        }

        /** Closes the current enumeration after the board reset, and opens the next one on the same port. */
        private void reconnect() {
            String usbSerial = identity.usbSerial();
            close();
            connection = open(reconnectTimeout());
            String now = connection.transport().deviceInfo().serialNumber();
            if (!Objects.equals(usbSerial, now)) {
                throw fail(FailureCode.DEVICE_CHANGED, "after the reset the port holds another board (USB serial "
                        + now + ", was " + usbSerial + ")");
            }
        }

        private void close() {
            if (connection != null) {
                statistics.add(connection.device().statistics());
                connection.transport().close();
                connection = null;
            }
        }

        // ------------------------------------------------------------ IDENTIFY

        private void identify() {
            UsbDeviceInfo info = connection.transport().deviceInfo();
            family = chips.recognise(info, connection.transport().altSettings()).orElse(null);
            String uid = null;
            DfuStatusException protection = null;
            try {
                if (family != null) {
                    uid = readUidIfTheRomAllows();
                }
                if (uid == null) {
                    // Without a UID, read two flash bytes to learn whether the chip is protected.
                    connection.device().read(flashStart(), new byte[2], 0, 2, TransferProgress.NONE, cancelled);
                }
            } catch (DfuStatusException e) {
                if (e.status() != DfuStatusCode.ERR_VENDOR) {
                    throw e;
                }
                protection = e;
            }
            readProtected = protection != null;
            identity = new DeviceIdentity(info.portPath(), info.serialNumber(), uid,
                    family == null ? null : family.name(), info.bootloaderVersion());
            listener.identified(identity);
            checkRequestFits();
            if (readProtected && !request.allowUnprotect()) {
                throw new FlashFailure(phase, FailureCode.READ_PROTECTED, "the chip is read-protected (the ROM answers reads with "
                        + "errVENDOR) and the request does not allow unprotecting it, which would erase it",
                        null, false, protection);
            }
        }

        /**
         * The UID, or {@code null} when this ROM refuses reads of the UID address (errTARGET): some
         * bootloaders do not list it among the readable areas. The board is then keyed by port and
         * USB serial only, which the record shows. errVENDOR (read protection) is passed on.
         */
        private String readUidIfTheRomAllows() {
            try {
                return readUid();
            } catch (DfuStatusException e) {
                if (e.status() == DfuStatusCode.ERR_TARGET) {
                    return null;
                }
                throw e;
            }
        }

        private String readUid() {
            ChipCatalog.UniqueIdLocation location = family.uniqueId();
            byte[] span = new byte[location.span()];
            connection.device().read(location.firstAddress(), span, 0, span.length, TransferProgress.NONE, cancelled);
            return UID_HEX.formatHex(location.extract(span));
        }

        /** Host-side checks of the request against the device, before anything on it changes. */
        private void checkRequestFits() {
            List<MemoryLayout> layouts = connection.layouts();
            FirmwareImage image = request.image();
            try {
                FirmwareValidator.validate(image, layouts);
            } catch (FirmwareValidationException e) {
                throw new FlashFailure(phase, FailureCode.IMAGE_OUTSIDE_DEVICE, e.getMessage(), null, false, e);
            }
            for (Segment segment : image.segments()) {
                Optional<MemoryLayout> options = layouts.stream().filter(ChipCatalog::isOptionBytesLayout)
                        .filter(l -> l.regions().stream().anyMatch(
                                r -> r.start() < segment.end() && segment.address() < r.end()))
                        .findFirst();
                if (options.isPresent()) {
                    throw fail(FailureCode.OPTION_BYTES_IN_IMAGE, String.format("the image has %d bytes at 0x%08X in the option bytes "
                            + "(%s); option bytes are programmed as one block from FlashRequest.optionBytes, "
                            + "not from the image", segment.length(), segment.address(), options.get()));
                }
                if (!inFlash(segment.address(), segment.length())) {
                    throw fail(FailureCode.IMAGE_OUTSIDE_DEVICE, String.format("the image has %d bytes at 0x%08X outside the "
                            + "internal flash; only flash is written from an image", segment.length(),
                            segment.address()));
                }
            }
            OptionBytesBlock block = request.optionBytes();
            if (block != null) {
                int length = block.bytes().length;
                boolean matches = layouts.stream().filter(ChipCatalog::isOptionBytesLayout)
                        .flatMap(l -> l.sectors().stream())
                        .anyMatch(s -> s.start() == block.address() && s.size() == length);
                if (!matches || length > connection.device().transferSize()) {
                    throw fail(FailureCode.OPTION_BYTES_INVALID, String.format("an option-byte block of %d bytes at 0x%08X is not "
                            + "one of the device's option-byte blocks %s", length, block.address(),
                            layouts.stream().filter(ChipCatalog::isOptionBytesLayout).toList()));
                }
            }
        }

        // ------------------------------------------------------------ UNPROTECT

        private void unprotect() {
            connection.device().readUnprotect();
            reconnect();
            flashBlank = true;
            readProtected = false;
            if (family != null) {
                identity = new DeviceIdentity(identity.portPath(), identity.usbSerial(), readUid(),
                        identity.chipFamily(), identity.bootloaderVersion());
                listener.identified(identity);
            }
        }

        // ------------------------------------------------------------ ERASE

        private void erase() {
            DfuSeDevice device = connection.device();
            if (request.eraseMode() == EraseMode.MASS) {
                long total = flashSectors().stream().mapToLong(Sector::size).sum();
                if (!flashBlank) {
                    device.massErase();
                    bytesErased += total;
                    flashBlank = true;
                }
                listener.progress(Phase.ERASE, total, total);
                return;
            }
            if (flashBlank) {
                listener.progress(Phase.ERASE, 0, 0);
                return;
            }
            ErasePlan erasePlan = ErasePlan.of(request.image(), connection.layouts());
            Optional<EraseCostModel> costs = family == null ? Optional.empty()
                    : family.knownEraseTimes().map(t -> new EraseCostModel(t, device.transferSize()));
            List<Sector> toErase = new ArrayList<>();
            List<Sector> unchanged = new ArrayList<>();
            if (costs.isPresent()) {
                classify(erasePlan, costs.get(), toErase, unchanged);
            } else {
                toErase.addAll(erasePlan.sectors());
            }
            long total = toErase.stream().mapToLong(Sector::size).sum();
            List<Sector> flash = flashSectors();
            if (costs.isPresent() && toErase.size() == flash.size() && toErase.containsAll(flash)
                    && costs.get().massEraseCheaper(toErase)) {
                checkCancelled();
                device.massErase();
                bytesErased += total;
                listener.progress(Phase.ERASE, total, total);
            } else {
                long done = 0;
                for (Sector sector : toErase) {
                    checkCancelled();
                    device.eraseSector(sector.start());
                    done += sector.size();
                    bytesErased += sector.size();
                    listener.progress(Phase.ERASE, done, total);
                }
            }
            erasePlan.sectors().forEach(s -> preparedSectors.add(s.start()));
            toWrite = plan.without(unchanged);
        }

        /**
         * Reads the touched sectors that are cheaper to read than to erase and sorts every touched
         * sector into {@code toErase} (it holds something else), {@code unchanged} (it already holds
         * exactly what erasing and writing would leave: its part of the image, 0xFF elsewhere) or
         * neither (blank: written without an erase). Neighbouring sectors are read in one run; a
         * sector is read only until a byte shows it must be erased, and the run goes on at the next one.
         */
        private void classify(ErasePlan erasePlan, EraseCostModel costs, List<Sector> toErase,
                List<Sector> unchanged) {
            List<Sector> sectors = erasePlan.sectors();
            int i = 0;
            while (i < sectors.size()) {
                checkCancelled();
                if (!costs.worthReading(sectors.get(i))) {
                    toErase.add(sectors.get(i++));
                    continue;
                }
                int j = i + 1;
                while (j < sectors.size() && sectors.get(j).start() == sectors.get(j - 1).end()
                        && costs.worthReading(sectors.get(j))) {
                    j++;
                }
                SectorSorter sorter = new SectorSorter(sectors.subList(i, j), toErase, unchanged);
                long start = sectors.get(i).start();
                connection.device().read(start, Math.toIntExact(sectors.get(j - 1).end() - start), sorter, cancelled);
                i += sorter.next;
            }
        }

        /** Sorts the sectors of one read run as their blocks arrive; stops the read inside a sector that must be erased. */
        private final class SectorSorter implements BlockSink {
            private final List<Sector> sectors;
            private final List<Sector> toErase;
            private final List<Sector> unchanged;
            /** Index of the sector being read; after the read, of the first sector not sorted. */
            int next;
            private boolean blank = true;
            private boolean matches = true;

            SectorSorter(List<Sector> sectors, List<Sector> toErase, List<Sector> unchanged) {
                this.sectors = sectors;
                this.toErase = toErase;
                this.unchanged = unchanged;
            }

            @Override
            public boolean accept(long address, byte[] data) {
                int offset = 0;
                while (offset < data.length) {
                    Sector sector = sectors.get(next);
                    long at = address + offset;
                    int length = (int) Math.min(data.length - offset, sector.end() - at);
                    blank = blank && WritePlan.isErased(data, offset, length);
                    matches = matches && plan.flashMatches(at, data, offset, length);
                    offset += length;
                    boolean sectorDone = at + length == sector.end();
                    if (!blank && !matches) {
                        toErase.add(sector);
                    } else if (sectorDone) {
                        if (matches) {
                            unchanged.add(sector);
                        }
                    } else {
                        continue;
                    }
                    next++;
                    blank = true;
                    matches = true;
                    if (next == sectors.size()) {
                        return false;
                    }
                    if (!sectorDone) {
                        // The rest of this sector is not needed: go on at the next sector with a new pointer.
                        return false;
                    }
                }
                return true;
            }
        }

        // ------------------------------------------------------------ WRITE and VERIFY

        private void write() {
            long total = toWrite.totalBytes();
            long before = 0;
            for (WritePlan.Run run : toWrite.runs()) {
                long base = before;
                connection.device().write(run.address(), run.data(), 0, run.length(),
                        (done, of) -> listener.progress(Phase.WRITE, base + done, total), cancelled);
                before += run.length();
            }
            if (total == 0) {
                listener.progress(Phase.WRITE, 0, 0);
            }
            bytesWritten += total;
        }

        private void verify() {
            long total = plan.totalBytes();
            long before = 0;
            for (WritePlan.Run run : plan.runs()) {
                readBackAndCompare(run, before, total);
                before += run.length();
            }
            bytesVerified += total;
        }

        /** Reads {@code run} back, comparing every block with the run as it arrives; the first difference fails. */
        private void readBackAndCompare(WritePlan.Run run, long before, long total) {
            byte[] expected = run.data();
            BlockSink compare = (address, block) -> {
                int from = (int) (address - run.address());
                int at = Arrays.mismatch(expected, from, from + block.length, block, 0, block.length);
                if (at >= 0) {
                    throw new FlashFailure(phase, FailureCode.VERIFY_MISMATCH, String.format(
                            "read-back differs at 0x%08X: wrote 0x%02X, read 0x%02X", address + at,
                            expected[from + at] & 0xFF, block[at] & 0xFF), address + at, false, null);
                }
                if (phase == Phase.VERIFY) {
                    listener.progress(Phase.VERIFY, before + from + block.length, total);
                }
                return true;
            };
            connection.device().read(run.address(), run.length(), compare, cancelled);
        }

        // ------------------------------------------------------------ SERIALIZE (serial record, option bytes)

        private void serialize() {
            if (request.serial() != null) {
                writeSerial();
            }
            if (request.optionBytes() != null) {
                writeOptionBytes(request.optionBytes());
            }
        }

        private void writeSerial() {
            if (identity.chipUid() == null) {
                // Serial numbers are idempotent per chip unique ID; without one a re-flash could not
                // get its number back, so no number is handed out.
                throw new FlashFailure(phase, FailureCode.SERIAL_SOURCE_FAILED, "a serial record needs the chip unique ID, "
                        + "which could not be read from this device (unknown family or refused address)",
                        null, false, null);
            }
            SerialRecord record;
            try {
                record = request.serial().serialFor(identity.chipUid(), identity.usbSerial());
            } catch (RuntimeException e) {
                throw new FlashFailure(phase, FailureCode.SERIAL_SOURCE_FAILED, "no serial record: " + e.getMessage(), null,
                        false, e);
            }
            if (record == null || record.bytes().length == 0) {
                throw fail(FailureCode.SERIAL_INVALID, "the serial source returned no bytes to write");
            }
            byte[] bytes = record.bytes();
            WritePlan.Run run = WritePlan.padded(record.address(), bytes, WritePlan.PROGRAM_ALIGNMENT);
            boolean flash = inFlash(run.address(), run.length());
            if (!flash && !inWriteableNonOptionMemory(run.address(), run.length())) {
                throw fail(FailureCode.SERIAL_INVALID, String.format("the serial record (%d bytes at 0x%08X) is not in the "
                        + "device's flash or OTP", bytes.length, record.address()));
            }
            if (plan.overlaps(run.address(), run.end())) {
                throw fail(FailureCode.SERIAL_INVALID, String.format("the serial record (%d bytes at 0x%08X) shares %d-byte "
                        + "program units with the image", bytes.length, record.address(), WritePlan.PROGRAM_ALIGNMENT));
            }
            DfuSeDevice device = connection.device();
            if (flash && !flashBlank) {
                for (long at = run.address(); at < run.end(); ) {
                    Sector sector = sectorAt(at);
                    if (preparedSectors.add(sector.start())) {
                        device.eraseSector(sector.start());
                        bytesErased += sector.size();
                    }
                    at = sector.end();
                }
            }
            device.write(run.address(), run.data(), 0, run.length(), TransferProgress.NONE, cancelled);
            bytesWritten += run.length();
            readBackAndCompare(run, 0, run.length());
            bytesVerified += run.length();
            serial = record;
        }

        private void writeOptionBytes(OptionBytesBlock block) {
            byte[] bytes = block.bytes();
            connection.device().writeOptionBytes(block.address(), bytes);
            bytesWritten += bytes.length;
            reconnect();
            readBackAndCompare(new WritePlan.Run(block.address(), bytes), 0, bytes.length);
            bytesVerified += bytes.length;
        }

        // ------------------------------------------------------------ LEAVE

        private void leave() {
            long application = request.image().startAddress().orElse(flashStart());
            leaveOutcome = connection.device().leave(application);
        }

        // ------------------------------------------------------------ helpers

        private boolean inFlash(long address, long length) {
            return connection.layouts().stream().anyMatch(l -> l.allows(address, length, FLASH_ATTRIBUTES));
        }

        private boolean inWriteableNonOptionMemory(long address, long length) {
            return connection.layouts().stream().filter(l -> !ChipCatalog.isOptionBytesLayout(l))
                    .anyMatch(l -> l.allows(address, length, MemoryRegion.WRITEABLE));
        }

        private List<Sector> flashSectors() {
            return connection.layouts().stream().flatMap(l -> l.sectors().stream())
                    .filter(s -> (s.attributes() & FLASH_ATTRIBUTES) == FLASH_ATTRIBUTES).toList();
        }

        private long flashStart() {
            return flashSectors().stream().mapToLong(Sector::start).min().orElse(DfuSeDevice.DEFAULT_FLASH_START);
        }

        private Sector sectorAt(long address) {
            return connection.layouts().stream().map(l -> l.sectorAt(address)).flatMap(Optional::stream)
                    .findFirst().orElseThrow();
        }

        private void checkCancelled() {
            if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                throw fail(FailureCode.CANCELLED, "cancelled before " + phase);
            }
        }

        private FlashFailure fail(FailureCode code, String message) {
            return new FlashFailure(phase, code, message, null, false, null);
        }

        private FlashFailure failure(RuntimeException e) {
            if (e instanceof FlashFailure f) {
                return f;
            }
            String message = phase + ": " + e.getMessage();
            if (e instanceof DfuCancelledException) {
                return new FlashFailure(phase, FailureCode.CANCELLED, message, null, false, e);
            }
            if (e instanceof DeviceGoneException) {
                return new FlashFailure(phase, FailureCode.DEVICE_GONE, message, null, false, e);
            }
            if (e instanceof DfuStatusException s && s.status() == DfuStatusCode.ERR_VENDOR) {
                // errVENDOR is the STM32 ROM's answer under read protection: trying again will not help.
                return new FlashFailure(phase, s.errorCode(), message + " (is the chip read-protected?)", null,
                        false, e);
            }
            if (e instanceof DfuException d) {
                return new FlashFailure(phase, d.errorCode(), message, null, true, e);
            }
            return new FlashFailure(phase, FailureCode.INTERNAL_ERROR, message, null, false, e);
        }
    }
}
