package com.flashline.station;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface PortSettingRepository extends JpaRepository<PortSettingEntity, PortSettingEntity.Key> {

    List<PortSettingEntity> findByKeyStationId(String stationId);
}
