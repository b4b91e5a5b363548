package com.flashline.dfu;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of what the engine put on the bus: control transfers by DFU request (attempts, whether
 * they succeeded or not), alt-setting switches and payload bytes each way. Written by the job's
 * thread, readable from any thread (benchmarks, metrics).
 */
public final class TransferStatistics {

    private static final int ALT_SWITCHES = DfuRequest.values().length;
    private static final int BYTES_DOWN = ALT_SWITCHES + 1;
    private static final int BYTES_UP = ALT_SWITCHES + 2;
    private static final int WEDGE_RECOVERIES = ALT_SWITCHES + 3;

    private final AtomicLongArray counters = new AtomicLongArray(WEDGE_RECOVERIES + 1);

    void countTransfer(DfuRequest request) {
        counters.incrementAndGet(request.ordinal());
    }

    void countAltSwitch() {
        counters.incrementAndGet(ALT_SWITCHES);
    }

    void addBytesDown(int bytes) {
        counters.addAndGet(BYTES_DOWN, bytes);
    }

    void addBytesUp(int bytes) {
        counters.addAndGet(BYTES_UP, bytes);
    }

    void countWedgeRecovery() {
        counters.incrementAndGet(WEDGE_RECOVERIES);
    }

    /** Control transfers issued with this DFU request. */
    public long transfers(DfuRequest request) {
        return counters.get(request.ordinal());
    }

    /** All DFU class control transfers issued. */
    public long totalTransfers() {
        long sum = 0;
        for (DfuRequest r : DfuRequest.values()) {
            sum += transfers(r);
        }
        return sum;
    }

    public long altSettingSwitches() {
        return counters.get(ALT_SWITCHES);
    }

    /** Payload bytes sent with DNLOAD (commands and data). */
    public long bytesDown() {
        return counters.get(BYTES_DOWN);
    }

    /** Payload bytes received with UPLOAD. */
    public long bytesUp() {
        return counters.get(BYTES_UP);
    }

    /** Operations after which the ROM stayed in dfuDNBUSY and was brought back with CLRSTATUS. */
    public long wedgeRecoveries() {
        return counters.get(WEDGE_RECOVERIES);
    }

    public Map<DfuRequest, Long> transfersByRequest() {
        Map<DfuRequest, Long> map = new EnumMap<>(DfuRequest.class);
        for (DfuRequest r : DfuRequest.values()) {
            map.put(r, transfers(r));
        }
        return map;
    }

    /**
     * Adds another counter set to this one, e.g. the counts of the engine instances a job used
     * across device resets (every re-enumeration needs a new engine on a new transport).
     */
    public void add(TransferStatistics other) {
        for (int i = 0; i < counters.length(); i++) {
            counters.addAndGet(i, other.counters.get(i));
        }
    }

    public void reset() {
        for (int i = 0; i < counters.length(); i++) {
            counters.set(i, 0);
        }
    }

    @Override
    public String toString() {
        return "TransferStatistics" + transfersByRequest() + " altSwitches=" + altSettingSwitches()
                + " bytesDown=" + bytesDown() + " bytesUp=" + bytesUp() + " wedgeRecoveries=" + wedgeRecoveries();
    }
}
