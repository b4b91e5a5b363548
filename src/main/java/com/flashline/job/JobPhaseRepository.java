package com.flashline.job;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface JobPhaseRepository extends JpaRepository<JobPhaseEntity, JobPhaseEntity.Key> {

    @Query("select coalesce(max(p.key.seq), 0) from JobPhaseEntity p where p.key.jobId = :jobId")
    int lastSeq(@Param("jobId") long jobId);
}
