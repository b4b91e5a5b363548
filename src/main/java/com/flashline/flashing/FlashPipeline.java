package com.flashline.flashing;

import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuOptions;
import com.flashline.dfu.IdleFor;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Flashes one board: CONNECT, IDENTIFY, UNPROTECT, ERASE, WRITE, VERIFY, SERIALIZE, OPTION_BYTES,
 * LEAVE. Plain Java, one instance may serve many threads; each {@link #run} drives one board,
 * keeping what it learns in a {@link FlashRun} that the phase steps ({@link Identification},
 * {@link ChipResets}, {@link Erasing}, {@link Programming}, {@link Serialization}) read and extend
 * in turn.
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
 * <li>Option bytes are written in their own phase, OPTION_BYTES, after VERIFY and the serial
 *     record: write, the chip resets and re-enumerates on its port, reconnect (the same chip by
 *     its UID, else {@code DEVICE_CHANGED}), read back and compare. UNPROTECT resets the chip the
 *     same way. A chip that is not back within the re-enumeration timeout fails the run with
 *     {@code DEVICE_NOT_BACK}; the run never ends because its own reset took the board away.</li>
 * <li>After Read Unprotect the ROM has mass-erased the flash (AN3156 section 3), so ERASE erases
 *     nothing more; VERIFY would catch a flash that was not blank.</li>
 * <li>ERASE reads a touched sector first when that is cheaper than erasing it on the family
 *     (the ROM table's erase times, {@link EraseCostModel}): a blank sector is written without
 *     an erase, a sector already holding exactly its part of the image is neither erased nor
 *     written, any other sector is erased — all at once when that is the whole flash and the
 *     family's mass erase is faster. The board ends byte for byte as if erased and written;
 *     VERIFY still reads every image byte (docs/protocol.md, "Erase planning").</li>
 * </ul>
 */
public final class FlashPipeline {

    /** How long a run waits for its chip to enumerate again after a reset it caused, unless told otherwise. */
    public static final Duration DEFAULT_REENUMERATION_TIMEOUT = Duration.ofSeconds(5);

    private final DfuClock clock;
    private final DfuOptions options;
    private final RecentWritePlans plans = new RecentWritePlans();
    private final Identification identification;
    private final Erasing erasing = new Erasing();
    private final Programming programming = new Programming();
    private final Serialization serialization = new Serialization();
    private final ChipResets resets;

    public FlashPipeline(DfuClock clock, DfuOptions options, ChipCatalog chips) {
        this(clock, options, chips, DEFAULT_REENUMERATION_TIMEOUT);
    }

    /**
     * @param reenumerationTimeout how long a run waits for its chip to come back on its port after
     *                             Read Unprotect or an option-byte write reset it
     */
    public FlashPipeline(DfuClock clock, DfuOptions options, ChipCatalog chips, Duration reenumerationTimeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.identification = new Identification(Objects.requireNonNull(chips, "chips"));
        this.resets = new ChipResets(reenumerationTimeout);
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
        Board board = new Board(connector, clock, options);
        FlashRun run = new FlashRun(request, board, plans.of(request.image().segments()),
                listener == null ? FlashListener.NONE : listener, cancelled == null ? () -> false : cancelled);
        try {
            phase(run, Phase.CONNECT, r -> board.open(r.phase()));
            phase(run, Phase.IDENTIFY, identification::identify);
            if (run.readProtected()) {
                phase(run, Phase.UNPROTECT, resets::unprotect);
            }
            phase(run, Phase.ERASE, erasing::erase);
            phase(run, Phase.WRITE, programming::write);
            phase(run, Phase.VERIFY, programming::verify);
            if (request.serial() != null) {
                phase(run, Phase.SERIALIZE, serialization::writeSerialRecord);
            }
            if (request.optionBytes() != null) {
                phase(run, Phase.OPTION_BYTES, resets::writeOptionBytes);
            }
            if (request.leave()) {
                phase(run, Phase.LEAVE, FlashPipeline::leave);
            } else {
                // Hand the board over in dfuIDLE, not in dfuUPLOAD-IDLE after VERIFY: the next host
                // (dfu-util, a retry) starts with SET_INTERFACE, which DFU allows only in dfuIDLE.
                run.device().ensureIdle(IdleFor.IDLE);
            }
            board.close();
            return run.report();
        } catch (RuntimeException e) {
            throw FlashFailure.of(run.phase(), e);
        } finally {
            board.close();
        }
    }

    private void phase(FlashRun run, Phase next, Consumer<FlashRun> step) {
        run.enter(next);
        long started = clock.nanoTime();
        step.accept(run);
        run.finished(next, Duration.ofNanos(clock.nanoTime() - started));
    }

    /** Set Address Pointer to the application, zero-length DNLOAD, dfuMANIFEST: the board starts it. */
    private static void leave(FlashRun run) {
        long application = run.request().image().startAddress().orElse(run.board().flashStart());
        run.left(run.device().leave(application));
    }
}
