package com.flashline.job;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface JobRepository extends JpaRepository<JobEntity, Long> {

    /** SELECT ... FOR UPDATE: state transitions of one job are serialised on its row. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select j from JobEntity j where j.id = :id")
    Optional<JobEntity> findByIdForUpdate(@Param("id") long id);

    List<JobEntity> findByStationIdAndStateInOrderById(String stationId, Collection<JobState> states);
}
