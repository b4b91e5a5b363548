package com.flashline.flashing;

import com.flashline.dfu.DfuClock;
import com.flashline.dfu.DfuOptions;
import java.util.function.BooleanSupplier;

/**
 * Flashes one board: CONNECT, IDENTIFY, UNPROTECT, ERASE, WRITE, VERIFY, SERIALIZE, LEAVE.
 * Plain Java, one instance may serve many threads; each {@link #run} drives one board.
 */
public final class FlashPipeline {

    private final DfuClock clock;
    private final DfuOptions options;
    private final ChipCatalog chips;

    public FlashPipeline(DfuClock clock, DfuOptions options, ChipCatalog chips) {
        this.clock = clock;
        this.options = options;
        this.chips = chips;
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
        throw new UnsupportedOperationException("not implemented yet");
    }
}
