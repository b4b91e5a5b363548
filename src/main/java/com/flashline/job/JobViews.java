package com.flashline.job;

import com.flashline.flashing.Phase;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Builds {@link JobView}s from rows, overlaying live progress for running jobs. */
@Component
class JobViews {

    private final JobListQuery queries;
    private final LiveJobs live;

    JobViews(JobListQuery queries, LiveJobs live) {
        this.queries = queries;
        this.live = live;
    }

    JobView of(JobEntity job) {
        return of(job.row(), queries.phases(List.of(job.id())).getOrDefault(job.id(), List.of()));
    }

    /** A job that was just inserted: it has no phases yet, so there is nothing to read. */
    JobView ofQueued(JobEntity job) {
        return of(job.row(), List.of());
    }

    /**
     * Views of a page of jobs with the phases of all of them read in one query, not one per job
     * (the job list is polled by dashboards while boards flash).
     */
    List<JobView> of(List<JobRow> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        Map<Long, List<JobView.PhaseTiming>> timings = queries.phases(jobs.stream().map(JobRow::id).toList());
        return jobs.stream().map(job -> of(job, timings.getOrDefault(job.id(), List.of()))).toList();
    }

    private JobView of(JobRow job, List<JobView.PhaseTiming> timings) {
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
        JobView.Error error = job.errorCode() == null ? null
                : new JobView.Error(job.errorCode(), job.errorMessage(), job.mismatchAddress());
        return new JobView(job.id(), job.stationId(), job.port(), job.usbSerial(), job.chipUid(), job.pollPolicy(),
                job.recipeId(),
                job.firmwareId(), job.firmwareSha256(), job.state(), phase, bytesDone, bytesTotal, job.attempt(),
                job.serialNumber(), job.cancelRequested() || live.cancelRequested(job.id()), job.queuedAt(),
                job.startedAt(), job.finishedAt(), job.durationMs(), timings, error, job.startedBy(),
                job.cancelledBy(), job.workOrder(), job.lot());
    }
}
