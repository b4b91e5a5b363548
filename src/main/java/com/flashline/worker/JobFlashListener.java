package com.flashline.worker;

import com.flashline.database.DatabaseGate;
import com.flashline.dfu.PollPolicy;
import com.flashline.flashing.DeviceIdentity;
import com.flashline.flashing.FlashListener;
import com.flashline.flashing.Phase;
import com.flashline.job.JobRecorder;
import com.flashline.job.PassedBoardLatch;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Forwards one attempt's pipeline events to the job record (which also updates the port) and the
 * metrics; in IDENTIFY, asks the {@link PassedBoardLatch} whether this is a chip that just passed
 * here, and if so sets the stop reason the attempt's cancel check sees. Before each database write
 * (a phase entered, the chip identified) it asks the {@link DatabaseGate}: once the database is known
 * to be away, the job stops at once instead of waiting for the pool's timeout on every write. A
 * phase's timing and the poll policy are not written when told (the recorder keeps them for the
 * job's next write), so they need no gate: a job the gate stops still has them for its ending.
 */
final class JobFlashListener implements FlashListener {

    private final long jobId;
    private final String port;
    private final JobRecorder recorder;
    private final WorkerMetrics metrics;
    private final PassedBoardLatch latch;
    private final AtomicReference<String> stopReason;
    private final DatabaseGate database;
    private volatile DeviceIdentity identity;
    private long lastDone;

    JobFlashListener(long jobId, String port, JobRecorder recorder, WorkerMetrics metrics, PassedBoardLatch latch,
            AtomicReference<String> stopReason, DatabaseGate database) {
        this.jobId = jobId;
        this.port = port;
        this.recorder = recorder;
        this.metrics = metrics;
        this.latch = latch;
        this.stopReason = stopReason;
        this.database = database;
    }

    DeviceIdentity identity() {
        return identity;
    }

    @Override
    public void phaseStarted(Phase phase) {
        lastDone = 0;
        database.requireAvailable();
        recorder.phaseStarted(jobId, phase);
    }

    @Override
    public void phaseFinished(Phase phase, Duration duration) {
        recorder.phaseFinished(jobId, phase, duration);
        metrics.phase(phase, duration);
    }

    @Override
    public void progress(Phase phase, long bytesDone, long bytesTotal) {
        recorder.progress(jobId, bytesDone, bytesTotal);
        metrics.bytes(phase, bytesDone >= lastDone ? bytesDone - lastDone : bytesDone);
        lastDone = bytesDone;
    }

    @Override
    public void pollPolicy(PollPolicy policy) {
        recorder.pollPolicy(jobId, policy.name());
    }

    @Override
    public void identified(DeviceIdentity identity) {
        this.identity = identity;
        database.requireAvailable();
        recorder.identified(jobId, identity.usbSerial(), identity.chipUid());
        latch.holdOnIdentify(port, identity.chipUid()).ifPresent(stopReason::set);
    }
}
