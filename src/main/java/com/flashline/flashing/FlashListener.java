package com.flashline.flashing;

import com.flashline.dfu.PollPolicy;
import java.time.Duration;

/** Hears what the pipeline does; called on the pipeline's thread, so implementations must be quick. */
public interface FlashListener {

    FlashListener NONE = new FlashListener() { };

    default void phaseStarted(Phase phase) {
    }

    default void phaseFinished(Phase phase, Duration duration) {
    }

    /** Bytes done of the current phase's total (erase, write and verify report progress). */
    default void progress(Phase phase, long bytesDone, long bytesTotal) {
    }

    default void identified(DeviceIdentity identity) {
    }

    /**
     * How the DFU engine polls this board's ROM: the ROM behaviour table's choice for it, or the
     * spec-literal policy the station forces. Told in IDENTIFY, before {@link #identified}.
     */
    default void pollPolicy(PollPolicy policy) {
    }
}
