package com.flashline.flashing;

import com.flashline.dfu.LeaveOutcome;
import com.flashline.dfu.TransferStatistics;
import java.util.List;

/**
 * The result of a passed board: every byte in {@code bytesWritten} was read back and matched.
 *
 * @param serial      the serial record written, or {@code null}
 * @param leave       how the board left DFU mode, or {@code null} when the request did not ask to leave
 * @param statistics  control transfers and bytes moved, for benchmarks
 */
public record FlashReport(DeviceIdentity identity, SerialRecord serial, long bytesErased, long bytesWritten,
        long bytesVerified, List<PhaseTiming> phases, TransferStatistics statistics, LeaveOutcome leave) {

    public FlashReport {
        phases = List.copyOf(phases);
    }
}
