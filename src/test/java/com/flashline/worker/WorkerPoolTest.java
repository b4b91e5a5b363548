package com.flashline.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import com.flashline.job.QueuedJob;
import com.flashline.support.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void aPoolStoppedAndStartedAgainRunsTheJobsDispatchedToIt() throws InterruptedException {
        JobRunner runner = mock(JobRunner.class);
        CountDownLatch ran = new CountDownLatch(1);
        doAnswer(call -> {
            ran.countDown();
            return null;
        }).when(runner).run(any());
        WorkerPool pool = new WorkerPool(runner, 2, new SimpleMeterRegistry());
        pool.start();
        pool.stop();

        pool.start();
        pool.dispatch(new QueuedJob(1, "sim-1", 1, 1, Fixtures.TESTER));

        assertThat(ran.await(1, TimeUnit.MINUTES)).as("the job ran").isTrue();
        assertThat(pool.isRunning()).isTrue();
        pool.stop();
    }
}
