package com.flashline.station;

import org.springframework.data.jpa.repository.JpaRepository;

interface StationSettingRepository extends JpaRepository<StationSettingEntity, String> {
}
