package com.flashline.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TransferActivityTest {

    private static final Duration QUIET = Duration.ofMillis(50);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TransferActivity activity = new TransferActivity(QUIET, now::get);
    private final ExecutorService eventThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        activity.close();
        eventThread.shutdownNow();
        assertThat(eventThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void withNoTransferYetItIsTheEventThreadsTurnAtOnce() throws InterruptedException {
        assertThat(activity.awaitQuiet()).isTrue();
    }

    @Test
    void theEventThreadWaitsForTheTransferAndThenForTheQuietPeriod() {
        activity.started();
        CompletableFuture<Boolean> turn = awaitQuietInTheBackground();

        activity.finished();
        now.addAndGet(QUIET.toNanos() - 1);
        assertThat(turn).as("still within the quiet period after the transfer").isNotDone();

        now.addAndGet(1);
        await().atMost(Duration.ofSeconds(10)).until(turn::isDone);
        assertThat(turn.join()).isTrue();
    }

    @Test
    void anotherTransferWithinTheQuietPeriodKeepsTheEventThreadWaiting() {
        activity.started();
        activity.finished();
        now.addAndGet(QUIET.toNanos() / 2);
        activity.started();
        CompletableFuture<Boolean> turn = awaitQuietInTheBackground();

        now.addAndGet(QUIET.toNanos());
        assertThat(turn).as("a transfer is in flight").isNotDone();
        activity.finished();
        now.addAndGet(QUIET.toNanos());

        await().atMost(Duration.ofSeconds(10)).until(turn::isDone);
        assertThat(turn.join()).isTrue();
    }

    @Test
    void closingReleasesTheEventThreadWithoutATurn() {
        activity.started();
        CompletableFuture<Boolean> turn = awaitQuietInTheBackground();

        activity.close();

        await().atMost(Duration.ofSeconds(10)).until(turn::isDone);
        assertThat(turn.join()).isFalse();
    }

    private CompletableFuture<Boolean> awaitQuietInTheBackground() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return activity.awaitQuiet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, eventThread);
    }
}
