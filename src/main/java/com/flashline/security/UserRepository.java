package com.flashline.security;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface UserRepository extends JpaRepository<UserEntity, Long> {

    Optional<UserEntity> findByUsername(String username);

    List<UserEntity> findAllByOrderByUsernameAsc();

    @Query("SELECT COUNT(u) FROM UserEntity u JOIN u.roles r WHERE u.enabled = TRUE AND r = :role")
    long countEnabledWithRole(Role role);
}
