package com.flashline.catalog;

import org.springframework.data.jpa.repository.JpaRepository;

interface FirmwareContentRepository extends JpaRepository<FirmwareContentEntity, Long> {
}
