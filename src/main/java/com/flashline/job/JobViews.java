package com.flashline.job;

import com.flashline.flashing.Phase;
import java.util.List;
import org.springframework.stereotype.Component;

/** Builds {@link JobView}s from rows, overlaying live progress for running jobs. */
@Component
class JobViews {

    private final JobPhaseRepository phases;
    private final LiveJobs live;

    JobViews(JobPhaseRepository phases, LiveJobs live) {
        this.phases = phases;
        this.live = live;
    }

    JobView of(JobEntity job) {
        Phase phase = job.phase();
        long bytesDone = job.bytesDone();
        long bytesTotal = job.bytesTotal();
        if (!job.state().terminal()) {
            LiveJobs.Progress progress = live.progress(job.id()).orElse(null);
            if (progress != null) {
                phase = progress.phase() != null ? progress.phase() : phase;
                bytesDone = progress.bytesDone();
                bytesTotal = progress.bytesTotal();
            }
        }
        List<JobView.PhaseTiming> timings = phases.findByKeyJobIdOrderByKeySeq(job.id()).stream()
                .map(JobPhaseEntity::toTiming).toList();
        JobView.Error error = job.errorCode() == null ? null
                : new JobView.Error(job.errorCode(), job.errorMessage(), job.mismatchAddress());
        return new JobView(job.id(), job.stationId(), job.port(), job.usbSerial(), job.chipUid(), job.recipeId(),
                job.firmwareId(), job.firmwareSha256(), job.state(), phase, bytesDone, bytesTotal, job.attempt(),
                job.serialNumber(), job.cancelRequested() || live.cancelRequested(job.id()), job.queuedAt(),
                job.startedAt(), job.finishedAt(), job.durationMs(), timings, error);
    }
}
