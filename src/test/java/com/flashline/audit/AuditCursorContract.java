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
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The MES cursor never skips or repeats a record while many transactions append at once; run
 * on H2 and on PostgreSQL by the subclasses.
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
