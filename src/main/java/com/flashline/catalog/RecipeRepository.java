package com.flashline.catalog;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface RecipeRepository extends JpaRepository<RecipeEntity, Long> {

    Optional<RecipeEntity> findByName(String name);

    boolean existsByName(String name);
}
