package com.flashline.job;

import com.flashline.flashing.Phase;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What changes too often to write to the database: per running job, the current phase and the
 * byte progress; plus the cancel flags the pipeline polls.
 */
@Component
class LiveJobs {

    record Progress(Phase phase, long bytesDone, long bytesTotal) {
    }

    private final Map<Long, Progress> progress = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> cancelRequested = new ConcurrentHashMap<>();

    void phase(long jobId, Phase phase) {
        progress.merge(jobId, new Progress(phase, 0, 0), (old, fresh) -> new Progress(phase, old.bytesDone(), old.bytesTotal()));
    }

    void bytes(long jobId, long bytesDone, long bytesTotal) {
        progress.merge(jobId, new Progress(null, bytesDone, bytesTotal),
                (old, fresh) -> new Progress(old.phase(), bytesDone, bytesTotal));
    }

    Optional<Progress> progress(long jobId) {
        return Optional.ofNullable(progress.get(jobId));
    }

    void requestCancel(long jobId) {
        cancelRequested.put(jobId, Boolean.TRUE);
    }

    boolean cancelRequested(long jobId) {
        return cancelRequested.containsKey(jobId);
    }

    void forget(long jobId) {
        progress.remove(jobId);
        cancelRequested.remove(jobId);
    }
}
