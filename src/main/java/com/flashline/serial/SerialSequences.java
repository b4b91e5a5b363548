package com.flashline.serial;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Creates the per-recipe sequence row that {@link SerialAllocator} locks and advances. */
@Component
public class SerialSequences {

    private final JdbcClient jdbc;

    SerialSequences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Called in the transaction that creates the recipe, after the recipe row is flushed (the
     * sequence row refers to it, and this plain SQL does not flush the JPA session).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void create(long recipeId, long start) {
        jdbc.sql("INSERT INTO serial_sequence (recipe_id, next_value) VALUES (?, ?)")
                .params(recipeId, start)
                .update();
    }
}
