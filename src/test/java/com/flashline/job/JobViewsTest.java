package com.flashline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.flashline.flashing.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The phases of finished jobs are read once; those of every other job on every listing. */
class JobViewsTest {

    private static final Instant END = Instant.parse("2026-12-03T12:00:00Z");

    private final JobListQuery queries = mock(JobListQuery.class);
    private final JobViews views = new JobViews(queries, mock(LiveJobs.class));

    private static JobRow row(long id, JobState state, Instant finishedAt) {
        return new JobRow(id, "station", "1-" + id, "SN", "UID", null, 1, 2, "ab", state, Phase.LEAVE, 10, 10, 1,
                null, false, END.minusSeconds(9), END.minusSeconds(8), finishedAt, finishedAt == null ? null : 8000L,
                null, null, null, "system", null, null, null);
    }

    private static List<JobView.PhaseTiming> phases(long id) {
        return List.of(new JobView.PhaseTiming(Phase.CONNECT, 1, id), new JobView.PhaseTiming(Phase.ERASE, 1, id + 1));
    }

    /** The query answers with each asked job's phases, as the database would. */
    private void phasesInTheDatabase() {
        when(queries.phases(anyCollection())).thenAnswer(call -> {
            Map<Long, List<JobView.PhaseTiming>> byJob = new LinkedHashMap<>();
            for (Object id : call.<Collection<?>>getArgument(0)) {
                byJob.put((Long) id, new ArrayList<>(phases((Long) id)));
            }
            return byJob;
        });
    }

    @Test
    void aPageOfFinishedJobsIsListedAgainWithoutReadingTheirPhases() {
        phasesInTheDatabase();
        List<JobRow> page = List.of(row(1, JobState.PASSED, END), row(2, JobState.FAILED, END.plusSeconds(1)));
        List<JobView> first = views.of(page);
        verify(queries).phases(List.of(1L, 2L));
        clearInvocations(queries);

        List<JobView> again = views.of(page);

        verify(queries, never()).phases(anyCollection());
        assertThat(again).isEqualTo(first);
        assertThat(again.get(0).phases()).isEqualTo(phases(1));
        assertThat(again.get(1).phases()).isEqualTo(phases(2));
    }

    @Test
    void aRunningJobsPhasesAreReadOnEveryListingUntilItHasFinished() {
        phasesInTheDatabase();
        views.of(List.of(row(5, JobState.RUNNING, null), row(6, JobState.QUEUED, null)));
        views.of(List.of(row(5, JobState.RUNNING, null), row(6, JobState.QUEUED, null)));
        verify(queries, times(2)).phases(List.of(5L, 6L));

        views.of(List.of(row(5, JobState.PASSED, END), row(6, JobState.RUNNING, null)));
        views.of(List.of(row(5, JobState.PASSED, END), row(6, JobState.RUNNING, null)));

        verify(queries, times(3)).phases(List.of(5L, 6L));
        verify(queries).phases(List.of(6L));
    }

    @Test
    void aFinishedJobWithAnotherEndOrOutcomeThanTheKeptOneIsReadAgain() {
        phasesInTheDatabase();
        views.of(List.of(row(9, JobState.PASSED, END)));

        views.of(List.of(row(9, JobState.PASSED, END.plusMillis(1))));
        views.of(List.of(row(9, JobState.INTERRUPTED, END.plusMillis(1))));

        verify(queries, times(3)).phases(List.of(9L));
    }

    @Test
    void onlyTheMostRecentlyListedFinishedJobsAreKept() {
        phasesInTheDatabase();
        List<JobRow> many = LongStream.rangeClosed(1, JobViews.KEPT_PHASES + 1)
                .mapToObj(id -> row(id, JobState.PASSED, END)).toList();
        views.of(many);
        assertThat(views.keptPhases()).isEqualTo(JobViews.KEPT_PHASES);
        clearInvocations(queries);

        views.of(List.of(row(1, JobState.PASSED, END), row(2, JobState.PASSED, END)));

        verify(queries).phases(List.of(1L));
    }

    @Test
    void aFinishedJobWithoutPhasesIsKeptWithoutThem() {
        when(queries.phases(anyCollection())).thenReturn(Map.of());
        views.of(List.of(row(3, JobState.CANCELLED, END)));

        List<JobView> again = views.of(List.of(row(3, JobState.CANCELLED, END)));

        verify(queries).phases(List.of(3L));
        assertThat(again.get(0).phases()).isEmpty();
    }
}
