package com.flashline.job;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import com.flashline.flashing.Phase;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

interface JobRepository extends JpaRepository<JobEntity, Long>, JpaSpecificationExecutor<JobEntity> {

    /** SELECT ... FOR UPDATE: state transitions of one job are serialised on its row. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select j from JobEntity j where j.id = :id")
    Optional<JobEntity> findByIdForUpdate(@Param("id") long id);

    /** The current phase in one UPDATE (no read first); 0 when the job is missing or finished. */
    @Transactional
    @Modifying
    @Query("update JobEntity j set j.phase = :phase where j.id = :id and j.state in (com.flashline.job.JobState.QUEUED, "
            + "com.flashline.job.JobState.RUNNING)")
    int enterPhaseIfLive(@Param("id") long id, @Param("phase") Phase phase);

    /** USB serial (kept when null) and chip UID in one UPDATE; 0 when the job is missing or finished. */
    @Transactional
    @Modifying
    @Query("update JobEntity j set j.usbSerial = coalesce(:usbSerial, j.usbSerial), j.chipUid = :chipUid "
            + "where j.id = :id and j.state in (com.flashline.job.JobState.QUEUED, com.flashline.job.JobState.RUNNING)")
    int identifyIfLive(@Param("id") long id, @Param("usbSerial") String usbSerial, @Param("chipUid") String chipUid);

    boolean existsByStationIdAndPortAndStateIn(String stationId, String port, Collection<JobState> states);

    List<JobEntity> findByStationIdAndStateInOrderById(String stationId, Collection<JobState> states);
}
