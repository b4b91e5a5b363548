package com.flashline.job;

import com.flashline.flashing.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Builds {@link JobView}s from rows, overlaying live progress for running jobs.
 *
 * <p>The phases of finished jobs are kept, the most recently listed {@value #KEPT_PHASES} jobs:
 * a job's last phase timings are written in the transaction that ends it, and nothing writes to a
 * finished job after that, so a page of finished jobs (what dashboards poll) needs no phase query.
 * Kept phases are used only for a row with the same final state and end time as the row they
 * were read with.
 */
@Component
class JobViews {

    static final int KEPT_PHASES = 1024;

    private record Kept(JobState state, Instant finishedAt, List<JobView.PhaseTiming> phases) {
    }

    private final JobListQuery queries;
    private final LiveJobs live;
    private final RecentlyUsed<Kept> finishedPhases = new RecentlyUsed<>(KEPT_PHASES);

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
        Map<Long, List<JobView.PhaseTiming>> timings = new HashMap<>();
        List<JobRow> toRead = new ArrayList<>();
        for (JobRow job : jobs) {
            Kept kept = job.state().terminal() ? finishedPhases.get(job.id()) : null;
            if (kept != null && kept.state() == job.state() && kept.finishedAt().equals(job.finishedAt())) {
                timings.put(job.id(), kept.phases());
            } else {
                toRead.add(job);
            }
        }
        if (!toRead.isEmpty()) {
            Map<Long, List<JobView.PhaseTiming>> read = queries.phases(toRead.stream().map(JobRow::id).toList());
            for (JobRow job : toRead) {
                List<JobView.PhaseTiming> phases = List.copyOf(read.getOrDefault(job.id(), List.of()));
                timings.put(job.id(), phases);
                if (job.state().terminal() && job.finishedAt() != null) {
                    finishedPhases.put(job.id(), new Kept(job.state(), job.finishedAt(), phases));
                }
            }
        }
        return jobs.stream().map(job -> of(job, timings.get(job.id()))).toList();
    }

    /** How many finished jobs' phases are kept. */
    int keptPhases() {
        return finishedPhases.size();
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
