package com.flashline.audit;

import static com.flashline.support.Fixtures.TESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The hash chain over the audit log: every append links its record after the head, concurrent
 * appends too, and a record changed or deleted directly in the database is found with its seq.
 * Run on H2 and on PostgreSQL by the subclasses. Each test leaves the chain intact, for the
 * other tests sharing the context.
 */
abstract class AuditChainContract {

    @Autowired
    AuditLog auditLog;
    @Autowired
    AuditVerifier verifier;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MockMvc mvc;

    @Test
    void everyRecordIsLinkedToThePreviousOneAndTheHeadNamesTheLast() {
        long first = append("one\nline\\two");
        long second = auditLog.append(AuditEntry.of(AuditType.JOB_PASSED, TESTER).port("1-1").jobId(7L)
                .startedAt(Instant.parse("2026-01-01T00:00:00.123456789Z")).durationMs(1500L).build());

        List<AuditRecord> records = auditLog.after(first - 1, 2).records();
        AuditRecord previous = auditLog.after(first - 2, 1).records().stream().findFirst().orElse(null);
        String before = first == 1 ? AuditChain.GENESIS : previous.hash();
        assertThat(records.get(0).hash()).isEqualTo(AuditChain.hash(before, records.get(0)));
        assertThat(records.get(1).hash()).isEqualTo(AuditChain.hash(records.get(0).hash(), records.get(1)));
        assertThat(records.get(1).startedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));

        AuditVerification verification = verifier.verify();
        assertThat(verification.valid()).isTrue();
        assertThat(verification.firstInvalidSeq()).isNull();
        assertThat(verification.headSeq()).isEqualTo(second);
        assertThat(verification.records()).isEqualTo(second);
        assertThat(verification.headHash()).isEqualTo(records.get(1).hash());
    }

    @Test
    void theCanonicalFormIsTheDocumentedOne() {
        AuditRecord record = new AuditRecord(3, AuditType.JOB_FAILED, Instant.parse("2026-01-01T12:00:00Z"), "line-1",
                "1-2", null, "UID", null, 9L, null, null, null, null, "FAILED", "", "a\\b\nc", 1500L, null, null, null,
                "operator", null, null, null, 1);
        assertThat(AuditChain.canonical(record)).isEqualTo("""
                seq=3
                type=JOB_FAILED
                recordedAt=2026-01-01T12:00:00.000000Z
                stationId=line-1
                actor=operator
                port=1-2
                usbSerial
                chipUid=UID
                serialNumber
                jobId=9
                recipeId
                firmwareId
                firmwareSha256
                firmwareVersion
                result=FAILED
                errorCode=
                errorMessage=a\\\\b\\nc
                durationMs=1500
                startedAt
                finishedAt
                detail
                """);
        // The example in docs/api.md, which MES implementers check their code against.
        assertThat(AuditChain.hash(AuditChain.GENESIS, record))
                .isEqualTo("d3955c7e700acc472e1d41af843cb232ae69ff7f2936a8ebe6dd0bd448d34aea");
    }

    @Test
    void versionTwoAppendsTheVersionTheWorkOrderAndTheLotToVersionOnesForm() {
        AuditRecord v1 = new AuditRecord(3, AuditType.JOB_FAILED, Instant.parse("2026-01-01T12:00:00Z"), "line-1",
                "1-2", null, "UID", null, 9L, null, null, null, null, "FAILED", "", "a\\b\nc", 1500L, null, null, null,
                "operator", null, null, null, 1);
        AuditRecord v2 = new AuditRecord(3, AuditType.JOB_FAILED, Instant.parse("2026-01-01T12:00:00Z"), "line-1",
                "1-2", null, "UID", null, 9L, null, null, null, null, "FAILED", "", "a\\b\nc", 1500L, null, null, null,
                "operator", null, "WO-1", null, 2);
        assertThat(AuditChain.canonical(v2)).isEqualTo(AuditChain.canonical(v1) + """
                chainVersion=2
                workOrder=WO-1
                lot
                """);
        // The example in docs/api.md.
        assertThat(AuditChain.hash(AuditChain.GENESIS, v2)).isEqualTo("e6a05a5ec24a238026ebfb812966e251570f8bb3b5c9b51d53c3a771b941a93a");
        // A version-1 record cannot carry a work order, and an unknown version verifies nothing.
        AuditRecord v1WithWorkOrder = new AuditRecord(3, AuditType.JOB_FAILED, v1.recordedAt(), "line-1", "1-2", null,
                "UID", null, 9L, null, null, null, null, "FAILED", "", "a\\b\nc", 1500L, null, null, null, "operator",
                AuditChain.hash(AuditChain.GENESIS, v1), "WO-1", null, 1);
        assertThat(AuditChain.verifies(AuditChain.GENESIS, v1WithWorkOrder)).isFalse();
        AuditRecord v3 = new AuditRecord(3, AuditType.JOB_FAILED, v1.recordedAt(), "line-1", "1-2", null, "UID", null,
                9L, null, null, null, null, "FAILED", "", "a\\b\nc", 1500L, null, null, null, "operator",
                AuditChain.hash(AuditChain.GENESIS, v2), "WO-1", null, 3);
        assertThat(AuditChain.verifies(AuditChain.GENESIS, v3)).isFalse();
    }

    @Test
    void newRecordsAreVersionTwoWithTheirWorkOrderAndARecordWrittenBeforeStaysVerifiable() {
        long seq = auditLog.append(AuditEntry.of(AuditType.JOB_PASSED, TESTER).port("1-1").workOrder("WO-CHAIN")
                .lot("LOT-9").build());
        AuditRecord written = auditLog.after(seq - 1, 1).records().get(0);
        assertThat(written.chainVersion()).isEqualTo(2);
        assertThat(written.workOrder()).isEqualTo("WO-CHAIN");
        assertThat(written.lot()).isEqualTo("LOT-9");

        // What the release before work orders wrote: no work order, version 1, hashed over the old form.
        long old = append("written by the release before");
        AuditRecord asWritten = auditLog.after(old - 1, 1).records().get(0);
        AuditRecord v1 = new AuditRecord(asWritten.seq(), asWritten.type(), asWritten.recordedAt(),
                asWritten.stationId(), asWritten.port(), asWritten.usbSerial(), asWritten.chipUid(),
                asWritten.serialNumber(), asWritten.jobId(), asWritten.recipeId(), asWritten.firmwareId(),
                asWritten.firmwareSha256(), asWritten.firmwareVersion(), asWritten.result(), asWritten.errorCode(),
                asWritten.errorMessage(), asWritten.durationMs(), asWritten.startedAt(), asWritten.finishedAt(),
                asWritten.detail(), asWritten.actor(), null, null, null, 1);
        String v1Hash = AuditChain.hash(written.hash(), v1);
        jdbc.update("UPDATE audit_record SET chain_version = 1, hash = ? WHERE seq = ?", v1Hash, old);
        jdbc.update("UPDATE audit_head SET last_hash = ? WHERE id = 1", v1Hash);
        long after = append("written after the upgrade");
        assertThat(auditLog.after(old - 1, 1).records().get(0).chainVersion()).isEqualTo(1);
        assertThat(verifier.verify().valid()).isTrue();
        assertThat(verifier.verify().headSeq()).isEqualTo(after);
    }

    @Test
    void aWorkOrderChangedOrHiddenByTurningTheRecordIntoVersionOneIsFound() {
        long seq = auditLog.append(AuditEntry.of(AuditType.JOB_PASSED, TESTER).workOrder("WO-REAL").lot("L").build());
        append("after it");
        jdbc.update("UPDATE audit_record SET work_order = 'WO-OTHER' WHERE seq = ?", seq);
        try {
            assertThat(verifier.verify().firstInvalidSeq()).isEqualTo(seq);
            jdbc.update("UPDATE audit_record SET work_order = NULL, lot = NULL, chain_version = 1 WHERE seq = ?", seq);
            assertThat(verifier.verify().firstInvalidSeq()).isEqualTo(seq);
        } finally {
            jdbc.update("UPDATE audit_record SET work_order = 'WO-REAL', lot = 'L', chain_version = 2 WHERE seq = ?", seq);
        }
        assertThat(verifier.verify().valid()).isTrue();
    }

    @Test
    void aRecordChangedInTheDatabaseIsFoundWithItsSeq() {
        long seq = append("original");
        append("after it");
        jdbc.update("UPDATE audit_record SET detail = 'forged' WHERE seq = ?", seq);
        try {
            AuditVerification verification = verifier.verify();
            assertThat(verification.valid()).isFalse();
            assertThat(verification.firstInvalidSeq()).isEqualTo(seq);
            assertThat(verification.records()).isEqualTo(seq - 1);
        } finally {
            jdbc.update("UPDATE audit_record SET detail = 'original' WHERE seq = ?", seq);
        }
        assertThat(verifier.verify().valid()).isTrue();
    }

    @Test
    void aRecordWhoseHashWasRecomputedBreaksTheNextOne() {
        long seq = append("original");
        append("after it");
        AuditRecord record = auditLog.after(seq - 1, 1).records().get(0);
        String previous = seq == 1 ? AuditChain.GENESIS : auditLog.after(seq - 2, 1).records().get(0).hash();
        AuditRecord forged = new AuditRecord(record.seq(), record.type(), record.recordedAt(), record.stationId(),
                record.port(), record.usbSerial(), record.chipUid(), record.serialNumber(), record.jobId(),
                record.recipeId(), record.firmwareId(), record.firmwareSha256(), record.firmwareVersion(),
                record.result(), record.errorCode(), record.errorMessage(), record.durationMs(), record.startedAt(),
                record.finishedAt(), "forged", record.actor(), null, record.workOrder(), record.lot(),
                record.chainVersion());
        jdbc.update("UPDATE audit_record SET detail = 'forged', hash = ? WHERE seq = ?",
                AuditChain.hash(previous, forged), seq);
        try {
            assertThat(verifier.verify().firstInvalidSeq()).isEqualTo(seq + 1);
        } finally {
            jdbc.update("UPDATE audit_record SET detail = 'original', hash = ? WHERE seq = ?", record.hash(), seq);
        }
        assertThat(verifier.verify().valid()).isTrue();
    }

    @Test
    void aDeletedRecordIsFoundWithItsSeqInTheMiddleAndAtTheEnd() {
        long middle = append("deleted in the middle");
        long last = append("deleted at the end");
        Map<String, Object> middleRow = jdbc.queryForMap("SELECT * FROM audit_record WHERE seq = ?", middle);
        Map<String, Object> lastRow = jdbc.queryForMap("SELECT * FROM audit_record WHERE seq = ?", last);
        jdbc.update("DELETE FROM audit_record WHERE seq = ?", last);
        try {
            assertThat(verifier.verify().firstInvalidSeq()).isEqualTo(last);
            jdbc.update("DELETE FROM audit_record WHERE seq = ?", middle);
            AuditVerification verification = verifier.verify();
            assertThat(verification.valid()).isFalse();
            assertThat(verification.firstInvalidSeq()).isEqualTo(middle);
            assertThat(verification.headSeq()).isEqualTo(last);
        } finally {
            reinsert(middleRow);
            reinsert(lastRow);
        }
        assertThat(verifier.verify().valid()).isTrue();
    }

    /**
     * Puts a deleted row back as it was. Not SimpleJdbcInsert: its table lookup through the JDBC
     * metadata is ambiguous on a PostgreSQL server holding other test contexts' schemas.
     */
    private void reinsert(Map<String, Object> row) {
        String columns = String.join(", ", row.keySet());
        String placeholders = String.join(", ", java.util.Collections.nCopies(row.size(), "?"));
        jdbc.update("INSERT INTO audit_record (" + columns + ") VALUES (" + placeholders + ")", row.values().toArray());
    }

    @Test
    void concurrentAppendsFormOneChain() throws Exception {
        int writers = 6;
        int each = 25;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        append("writer-" + writer + "-" + i);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<Void> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(verifier.verify().valid()).isTrue();
    }

    @Test
    void theVerifyEndpointAndThePullsShowTheHash() throws Exception {
        long seq = append("shown");
        String hash = auditLog.after(seq - 1, 1).records().get(0).hash();
        mvc.perform(get("/api/v1/audit/verify"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(true))
                .andExpect(jsonPath("$.firstInvalidSeq").doesNotExist());
        mvc.perform(get("/api/v1/audit").param("after", Long.toString(seq - 1)).param("limit", "1"))
                .andExpect(jsonPath("$.records[0].hash").value(hash));
        String csv = mvc.perform(get("/api/v1/audit.csv").param("after", Long.toString(seq - 1)).param("limit", "1"))
                .andReturn().getResponse().getContentAsString();
        assertThat(csv.split("\r\n")[0]).endsWith(",actor,hash,workOrder,lot,chainVersion");
        assertThat(csv.split("\r\n")[1]).endsWith("," + hash + ",,,2");
    }

    private long append(String detail) {
        return auditLog.append(AuditEntry.of(AuditType.RECIPE_CHANGED, TESTER).detail(detail).build());
    }
}
