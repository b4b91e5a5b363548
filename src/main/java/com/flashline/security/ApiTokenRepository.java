package com.flashline.security;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

interface ApiTokenRepository extends JpaRepository<ApiTokenEntity, Long> {

    boolean existsByName(String name);

    List<ApiTokenEntity> findByRevokedAtIsNullOrderByIdAsc();
}
