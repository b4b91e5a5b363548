package com.flashline.serial;

import jakarta.persistence.EntityManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Creates the per-recipe sequence row that {@link SerialAllocator} locks and advances. */
@Component
public class SerialSequences {

    private final EntityManager entityManager;

    SerialSequences(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Called in the transaction that creates the recipe. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void create(long recipeId, long start) {
        entityManager.createNativeQuery("INSERT INTO serial_sequence (recipe_id, next_value) VALUES (?1, ?2)")
                .setParameter(1, recipeId)
                .setParameter(2, start)
                .executeUpdate();
    }
}
