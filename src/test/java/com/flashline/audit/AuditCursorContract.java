package com.flashline.audit;

import static com.flashline.support.Fixtures.TESTER;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The MES cursor never skips or repeats a record while many transactions append at once, nor when
 * transactions commit out of order (driven step by step with latches); run on H2 and on
 * PostgreSQL by the subclasses.
 */
abstract class AuditCursorContract {

    static final int WRITERS = 8;
    static final int PER_WRITER = 40;
    static final int PAGE = 7;

    @Autowired
    AuditLog auditLog;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void cursorPullsSeeEveryRecordExactlyOnceWhileWritersCommitConcurrently() throws Exception {
        long start = lastSeq();
        int total = WRITERS * PER_WRITER;
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean writersDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    for (int i = 0; i < PER_WRITER; i++) {
                        String marker = "writer-" + writer + "-" + i;
                        // Work after the append keeps the head locked while others queue for it,
                        // the situation where identity columns would commit out of order.
                        tx.executeWithoutResult(status -> {
                            auditLog.append(AuditEntry.of(AuditType.JOB_PASSED, TESTER).detail(marker).port("1-" + writer).build());
                            jdbc.queryForObject("SELECT COUNT(*) FROM audit_record WHERE port = ?", Integer.class,
                                    "1-" + writer);
                        });
                    }
                    return null;
                }));
            }
            Future<List<AuditRecord>> reader = pool.submit(() -> {
                go.await();
                List<AuditRecord> seen = new ArrayList<>();
                long cursor = start;
                while (seen.size() < total) {
                    AuditPage page = auditLog.after(cursor, PAGE);
                    for (int i = 0; i < page.records().size(); i++) {
                        assertThat(page.records().get(i).seq()).as("contiguous page").isEqualTo(cursor + i + 1);
                    }
                    seen.addAll(page.records());
                    cursor = page.next();
                    if (page.records().isEmpty() && writersDone.get() && auditLog.after(cursor, 1).records().isEmpty()) {
                        break; // everything committed was read; the assertion below reports what is missing
                    }
                }
                return seen;
            });
            go.countDown();
            for (Future<?> writer : writers) {
                writer.get(2, TimeUnit.MINUTES);
            }
            writersDone.set(true);
            List<AuditRecord> seen = reader.get(2, TimeUnit.MINUTES);

            List<Long> seqs = seen.stream().map(AuditRecord::seq).toList();
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(start + 1, start + total).boxed().toList());
            Set<String> markers = new HashSet<>();
            seen.forEach(r -> markers.add(r.detail()));
            assertThat(markers).hasSize(total);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The order, step by step: A opens its transaction and holds it, B appends and commits,
     * a pull, then A appends and commits, a pull. A's record must not be skipped by a cursor that
     * already moved past B: it takes its seq at its own append, after B's.
     */
    @Test
    void aTransactionHeldOpenWhileAnotherCommitsIsNotSkippedByTheCursor() throws Exception {
        long start = lastSeq();
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        CountDownLatch aOpen = new CountDownLatch(1);
        CountDownLatch aMayAppend = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> a = pool.submit(() -> tx.execute(status -> {
                // A's own work first (as a job's outcome is written before its audit record).
                jdbc.queryForObject("SELECT COUNT(*) FROM audit_record", Long.class);
                aOpen.countDown();
                await(aMayAppend);
                return auditLog.append(AuditEntry.of(AuditType.JOB_PASSED, TESTER).detail("A").build());
            }));
            await(aOpen);
            long b = tx.execute(status -> auditLog.append(AuditEntry.of(AuditType.JOB_FAILED, TESTER).detail("B").build()));

            AuditPage first = auditLog.after(start, 100);
            assertThat(first.records()).extracting(AuditRecord::detail).containsExactly("B");
            assertThat(b).isEqualTo(start + 1);

            aMayAppend.countDown();
            long aSeq = a.get(1, TimeUnit.MINUTES);
            AuditPage second = auditLog.after(first.next(), 100);
            assertThat(second.records()).extracting(AuditRecord::detail).containsExactly("A");
            assertThat(aSeq).isEqualTo(start + 2);
            assertThat(second.next()).isEqualTo(start + 2);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The other order: A has already appended (taken its seq) and holds its transaction open; B's
     * append then waits for A's commit on the head row instead of committing a higher seq first. A
     * pull meanwhile sees neither; after A commits, one pull sees A then B.
     */
    @Test
    void anAppendWaitsForAnEarlierAppendStillOpenSoSeqsCommitInOrder() throws Exception {
        long start = lastSeq();
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        CountDownLatch aAppended = new CountDownLatch(1);
        CountDownLatch aMayCommit = new CountDownLatch(1);
        AtomicLong aSession = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Long> a = pool.submit(() -> tx.execute(status -> {
                long seq = auditLog.append(AuditEntry.of(AuditType.JOB_PASSED, TESTER).detail("A").build());
                aSession.set(jdbc.queryForObject(sessionIdQuery(), Long.class));
                aAppended.countDown();
                await(aMayCommit);
                return seq;
            }));
            await(aAppended);
            Future<Long> b = pool.submit(() -> tx.execute(status ->
                    auditLog.append(AuditEntry.of(AuditType.JOB_FAILED, TESTER).detail("B").build())));
            // B is blocked by A's session (seen in the database's own lock view), not merely slow.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    jdbc.queryForObject(sessionsBlockedByQuery(), Long.class, aSession.get()) > 0);
            assertThat(b).isNotDone();

            AuditPage whileOpen = auditLog.after(start, 100);
            assertThat(whileOpen.records()).isEmpty();
            assertThat(whileOpen.next()).isEqualTo(start);

            aMayCommit.countDown();
            assertThat(a.get(1, TimeUnit.MINUTES)).isEqualTo(start + 1);
            assertThat(b.get(1, TimeUnit.MINUTES)).isEqualTo(start + 2);
            AuditPage after = auditLog.after(whileOpen.next(), 100);
            assertThat(after.records()).extracting(AuditRecord::detail).containsExactly("A", "B");
            assertThat(after.records()).extracting(AuditRecord::seq).containsExactly(start + 1, start + 2);
        } finally {
            aMayCommit.countDown();
            pool.shutdownNow();
        }
    }

    /** This connection's session id in the database's lock view. */
    abstract String sessionIdQuery();

    /** How many sessions wait for a lock the session {@code ?} holds. */
    abstract String sessionsBlockedByQuery();

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the other transaction did not get there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRolledBackAppendLeavesNoGap() {
        long before = lastSeq();
        TransactionTemplate tx = new TransactionTemplate(transactionManager);
        tx.executeWithoutResult(status -> {
            auditLog.append(AuditEntry.of(AuditType.JOB_FAILED, TESTER).detail("rolled back").build());
            status.setRollbackOnly();
        });
        long seq = auditLog.append(AuditEntry.of(AuditType.JOB_FAILED, TESTER).detail("kept").build());
        assertThat(seq).isEqualTo(before + 1);
        assertThat(auditLog.after(before, 10).records()).extracting(AuditRecord::detail).containsExactly("kept");
    }

    @Test
    void anEmptyPullReturnsTheSameCursor() {
        long last = lastSeq();
        AuditPage page = auditLog.after(last, 100);
        assertThat(page.records()).isEmpty();
        assertThat(page.next()).isEqualTo(last);
    }

    private long lastSeq() {
        return jdbc.queryForObject("SELECT last_seq FROM audit_head WHERE id = 1", Long.class);
    }
}
