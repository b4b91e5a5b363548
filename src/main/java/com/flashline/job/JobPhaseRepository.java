package com.flashline.job;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

interface JobPhaseRepository extends JpaRepository<JobPhaseEntity, JobPhaseEntity.Key> {

    List<JobPhaseEntity> findByKeyJobIdOrderByKeySeq(long jobId);

    /** The phases of several jobs in one query (a page of the job list), by job then sequence. */
    List<JobPhaseEntity> findByKeyJobIdInOrderByKeyJobIdAscKeySeqAsc(Collection<Long> jobIds);

    @Query("select coalesce(max(p.key.seq), 0) from JobPhaseEntity p where p.key.jobId = :jobId")
    int lastSeq(@Param("jobId") long jobId);

    /**
     * Appends a phase timing in one statement, and only while the job is still QUEUED or RUNNING
     * (the row lock a SELECT ... FOR UPDATE would take is taken by the insert's read of the job).
     *
     * @return 1 when stored, 0 when the job does not exist or has already finished
     */
    @Transactional
    @Modifying
    @Query(nativeQuery = true, value = "insert into job_phase (job_id, seq, attempt, name, duration_ms) "
            + "select j.id, :seq, :attempt, :name, :durationMs from job j "
            + "where j.id = :jobId and j.state in ('QUEUED', 'RUNNING')")
    int appendIfLive(@Param("jobId") long jobId, @Param("seq") int seq, @Param("attempt") int attempt,
            @Param("name") String name, @Param("durationMs") long durationMs);
}
