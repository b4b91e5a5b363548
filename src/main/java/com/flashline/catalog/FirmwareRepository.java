package com.flashline.catalog;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface FirmwareRepository extends JpaRepository<FirmwareEntity, Long> {

    Optional<FirmwareEntity> findBySha256(String sha256);
}
