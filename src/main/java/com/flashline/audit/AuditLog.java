package com.flashline.audit;

import com.flashline.config.FlashLineProperties;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The append-only audit log MES pulls with a cursor.
 *
 * <p>Sequence numbers are taken from the single {@code audit_head} row, which the append locks
 * (by updating it) and holds until its transaction commits. Two appends therefore commit in seq
 * order, and a reader that sees seq n has already been able to see every seq below n: a cursor
 * pull can neither skip a record that commits late nor see one twice. Identity columns or
 * sequences would not give this, because their values commit out of order. The price is that
 * audited transactions on all stations sharing a database serialise on that row from the append
 * to the commit, which is why writers append last and commit right after.
 */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    public static final int MAX_PAGE = 1000;

    private final EntityManager entityManager;
    private final JdbcClient jdbc;
    private final AuditRecordRepository records;
    private final String stationId;
    private final Clock clock;

    AuditLog(EntityManager entityManager, JdbcClient jdbc, AuditRecordRepository records,
            FlashLineProperties properties, Clock clock) {
        this.entityManager = entityManager;
        this.jdbc = jdbc;
        this.records = records;
        this.stationId = properties.station().id();
        this.clock = clock;
    }

    /**
     * Appends within the caller's transaction (or a new one); returns the assigned seq. The
     * record is linked into the hash chain ({@link AuditChain}) after the head's hash, which the
     * head lock keeps consistent: the previous record is the last one committed, on any station.
     */
    @Transactional
    public long append(AuditEntry entry) {
        // The caller's pending entity changes are written before the head is locked, not after,
        // so the lock is held no longer than the append, and rows are locked in one order, the
        // caller's own first and the head last, in every audited transaction.
        entityManager.flush();
        // The UPDATE takes the row lock first and re-reads the committed value under it, on H2 and
        // PostgreSQL alike; the lock is released only by this transaction's commit or rollback.
        lockHead("UPDATE audit_head SET last_seq = last_seq + 1 WHERE id = 1");
        AuditHead head = head();
        String previous = head.hash() != null ? head.hash() : sealUnchained(head.seq() - 1);
        AuditRecordEntity record = new AuditRecordEntity(head.seq(), stationId, clock.instant(), entry);
        String hash = record.chainAfter(previous);
        entityManager.persist(record);
        jdbc.sql("UPDATE audit_head SET last_hash = ? WHERE id = 1").param(hash).update();
        return head.seq();
    }

    /**
     * Links the records written before the chain existed (the V5 migration leaves the head's hash
     * null when there were any) into it, from the first one, once, at the first start after the
     * upgrade; under the head lock, so that several stations starting at once do it once.
     */
    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    public void sealUnchainedRecords() {
        lockHead("UPDATE audit_head SET last_seq = last_seq WHERE id = 1");
        AuditHead head = head();
        if (head.hash() == null) {
            String hash = sealUnchained(head.seq());
            jdbc.sql("UPDATE audit_head SET last_hash = ? WHERE id = 1").param(hash).update();
            log.info("Audit chain: linked the {} records written before it", head.seq());
        }
    }

    /** The last committed seq and its hash (null before {@link #sealUnchainedRecords}). */
    AuditHead head() {
        return jdbc.sql("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")
                .query((rs, row) -> new AuditHead(rs.getLong(1), rs.getString(2))).single();
    }

    private void lockHead(String update) {
        if (jdbc.sql(update).update() != 1) {
            throw new IllegalStateException("audit_head row is missing; the schema migration did not run");
        }
    }

    /** Chains the records 1..upTo from the genesis; returns the last one's hash. */
    private String sealUnchained(long upTo) {
        String previous = AuditChain.GENESIS;
        long cursor = 0;
        while (true) {
            List<AuditRecordEntity> page = records.findBySeqGreaterThanAndSeqLessThanEqualOrderBySeqAsc(cursor, upTo,
                    Limit.of(MAX_PAGE));
            if (page.isEmpty()) {
                return previous;
            }
            for (AuditRecordEntity record : page) {
                previous = record.chainAfter(previous);
                cursor = record.seq();
            }
            entityManager.flush();
            page.forEach(entityManager::detach);
        }
    }

    /** Up to {@code limit} (1..{@value #MAX_PAGE}) committed records with seq greater than {@code after}. */
    @Transactional(readOnly = true)
    public AuditPage after(long after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        }
        List<AuditRecord> page = records.findBySeqGreaterThanOrderBySeqAsc(after, Limit.of(limit)).stream()
                .map(AuditRecordEntity::toRecord)
                .toList();
        long next = page.isEmpty() ? after : page.get(page.size() - 1).seq();
        return new AuditPage(page, next);
    }

    /** Up to {@code limit} committed records of one station with seq greater than {@code after}, oldest first. */
    @Transactional(readOnly = true)
    public List<AuditRecord> stationRecordsAfter(String station, long after, int limit) {
        return records.findByStationIdAndSeqGreaterThanOrderBySeqAsc(station, after, Limit.of(limit)).stream()
                .map(AuditRecordEntity::toRecord)
                .toList();
    }

    /** How many committed records of one station have seq greater than {@code after}, and the oldest one's time. */
    @Transactional(readOnly = true)
    public AuditBacklog backlog(String station, long after) {
        return jdbc.sql("SELECT COUNT(*), MIN(recorded_at) FROM audit_record WHERE station_id = ? AND seq > ?")
                .params(station, after)
                .query((rs, row) -> {
                    java.time.OffsetDateTime oldest = rs.getObject(2, java.time.OffsetDateTime.class);
                    return new AuditBacklog(rs.getLong(1), oldest == null ? null : oldest.toInstant());
                })
                .single();
    }
}
