package com.flashline.flashing;

import com.flashline.dfu.LeaveOutcome;
import com.flashline.dfu.TransferStatistics;
import java.util.List;

/**
 * The result of a passed board: every byte in {@code bytesWritten} was read back and matched.
 *
 * @param bytesErased   flash bytes actually erased (sectors found blank or already holding their part
 *                      of the image are not erased)
 * @param bytesWritten  bytes actually programmed (0 when a re-flash found the image already there)
 * @param bytesVerified bytes read back and compared: always the whole image (and serial / option bytes)
 * @param serial      the serial record written, or {@code null}
 * @param leave       how the board left DFU mode, or {@code null} when the request did not ask to leave
 * @param statistics  control transfers and bytes moved, for benchmarks
 * @param pollPolicy  the name of the {@link com.flashline.dfu.PollPolicy} the engine polled the ROM with
 */
public record FlashReport(DeviceIdentity identity, SerialRecord serial, long bytesErased, long bytesWritten,
        long bytesVerified, List<PhaseTiming> phases, TransferStatistics statistics, LeaveOutcome leave,
        String pollPolicy) {

    public FlashReport {
        phases = List.copyOf(phases);
    }
}
