package com.flashline.job;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface JobPhaseRepository extends JpaRepository<JobPhaseEntity, JobPhaseEntity.Key> {

    List<JobPhaseEntity> findByKeyJobIdOrderByKeySeq(long jobId);

    /** The phases of several jobs in one query (a page of the job list), by job then sequence. */
    List<JobPhaseEntity> findByKeyJobIdInOrderByKeyJobIdAscKeySeqAsc(Collection<Long> jobIds);

    @Query("select coalesce(max(p.key.seq), 0) from JobPhaseEntity p where p.key.jobId = :jobId")
    int lastSeq(@Param("jobId") long jobId);
}
