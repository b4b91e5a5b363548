package com.flashline.audit;

import jakarta.persistence.EntityManager;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Recomputes the audit chain from the first record: a record changed in the database no longer
 * has its hash, a deleted one leaves a gap in the seqs (or, at the end, a head that names a seq
 * no record has), and a record whose hash was recomputed by hand breaks the next one's hash.
 * Reads the committed records up to the head as it was when the check began, without locking:
 * stations keep appending meanwhile.
 */
@Service
public class AuditVerifier {

    private final AuditLog auditLog;
    private final AuditRecordRepository records;
    private final EntityManager entityManager;

    AuditVerifier(AuditLog auditLog, AuditRecordRepository records, EntityManager entityManager) {
        this.auditLog = auditLog;
        this.records = records;
        this.entityManager = entityManager;
    }

    @Transactional(readOnly = true)
    public AuditVerification verify() {
        AuditHead head = auditLog.head();
        String previous = AuditChain.GENESIS;
        long expected = 1;
        while (expected <= head.seq()) {
            List<AuditRecordEntity> page = records.findBySeqGreaterThanAndSeqLessThanEqualOrderBySeqAsc(expected - 1,
                    head.seq(), Limit.of(AuditLog.MAX_PAGE));
            if (page.isEmpty()) {
                break; // the records from `expected` to the head were deleted
            }
            for (AuditRecordEntity entity : page) {
                AuditRecord record = entity.toRecord();
                if (record.seq() != expected || !AuditChain.verifies(previous, record)) {
                    return invalid(head, expected);
                }
                previous = record.hash();
                expected++;
            }
            entityManager.clear();
        }
        if (expected <= head.seq()) {
            return invalid(head, expected);
        }
        if (!previous.equals(head.hash())) {
            return invalid(head, head.seq());
        }
        return new AuditVerification(true, head.seq(), head.seq(), head.hash(), null);
    }

    private static AuditVerification invalid(AuditHead head, long seq) {
        return new AuditVerification(false, seq - 1, head.seq(), head.hash(), seq);
    }
}
