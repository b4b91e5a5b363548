package com.flashline.job;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface JobRepository extends JpaRepository<JobEntity, Long>, JobRowLock {

    List<JobEntity> findByStationIdAndStateInOrderById(String stationId, Collection<JobState> states);
}
