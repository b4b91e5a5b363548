package com.flashline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.flashline.station.PortRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Byte progress reaches {@link LiveJobs} on every block, but its event at most every 50 ms per job
 * and always when a phase's bytes are all done, on a clock the test moves.
 */
class JobRecorderProgressEventsTest {

    private static final long JOB = 7;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final List<Object> published = new ArrayList<>();
    private final LiveJobs live = new LiveJobs();
    private final AtomicLong now = new AtomicLong(1_000_000 * MS);
    private JobRecorder recorder;

    @BeforeEach
    void startedJob() {
        LiveJobStatements statements = mock(LiveJobStatements.class);
        when(statements.startRow(JOB)).thenReturn(Optional.of(new LiveJobStatements.StartRow("p1", JobState.QUEUED, null)));
        JobTransitions transitions = mock(JobTransitions.class);
        when(transitions.start(anyLong(), anyInt(), isNull())).thenReturn(true);
        recorder = new JobRecorder(mock(JobRepository.class), mock(JobPhaseRepository.class), statements, transitions,
                live, mock(PortRegistry.class), published::add, mock(PlatformTransactionManager.class));
        recorder.nanoTime = now::get;
        assertThat(recorder.started(JOB, 1)).isTrue();
    }

    private List<JobProgressEvent> progressEvents() {
        return published.stream().filter(JobProgressEvent.class::isInstance).map(JobProgressEvent.class::cast).toList();
    }

    @Test
    void blocksWithin50MsShareOneEventAndTheLastOfAPhaseAlwaysGoesOut() {
        recorder.progress(JOB, 2048, 8192);          // the first one goes out
        now.addAndGet(10 * MS);
        recorder.progress(JOB, 4096, 8192);          // 10 ms later: memory only
        now.addAndGet(39 * MS);
        recorder.progress(JOB, 6144, 8192);          // 49 ms after the first: memory only
        assertThat(live.progress(JOB)).map(LiveJobs.Progress::bytesDone).contains(6144L);
        recorder.progress(JOB, 8192, 8192);          // all done: always

        assertThat(progressEvents()).extracting(JobProgressEvent::bytesDone).containsExactly(2048L, 8192L);
    }

    @Test
    void aBlock50MsAfterTheLastEventGetsItsOwn() {
        recorder.progress(JOB, 2048, 1 << 20);
        now.addAndGet(50 * MS);
        recorder.progress(JOB, 4096, 1 << 20);
        now.addAndGet(49 * MS);
        recorder.progress(JOB, 6144, 1 << 20);
        now.addAndGet(1 * MS);
        recorder.progress(JOB, 8192, 1 << 20);

        assertThat(progressEvents()).extracting(JobProgressEvent::bytesDone).containsExactly(2048L, 4096L, 8192L);
        assertThat(progressEvents()).allSatisfy(event -> assertThat(event.phaseChanged()).isFalse());
    }

    @Test
    void aJobTheRecorderDidNotStartStillGetsAnEventPerCall() {
        recorder.progress(99, 1, 10);
        recorder.progress(99, 2, 10);

        assertThat(progressEvents()).extracting(JobProgressEvent::jobId).containsExactly(99L, 99L);
    }
}
