package com.flashline.catalog;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface FirmwareRepository extends JpaRepository<FirmwareEntity, Long> {

    Optional<FirmwareEntity> findByIdentityKey(String identityKey);
}
