package com.flashline.audit;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface AuditRecordRepository extends JpaRepository<AuditRecordEntity, Long> {

    List<AuditRecordEntity> findBySeqGreaterThanOrderBySeqAsc(long after, Limit limit);

    List<AuditRecordEntity> findByStationIdAndSeqGreaterThanOrderBySeqAsc(String stationId, long after, Limit limit);

    List<AuditRecordEntity> findBySeqGreaterThanAndSeqLessThanEqualOrderBySeqAsc(long after, long upTo, Limit limit);
}
