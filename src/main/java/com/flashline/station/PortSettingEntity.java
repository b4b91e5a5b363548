package com.flashline.station;

import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A port's label and recipe as set through the API, overriding the configuration file. */
@Entity
@Table(name = "port_setting")
class PortSettingEntity {

    @Embeddable
    record Key(String stationId, String path) implements Serializable {
    }

    @EmbeddedId
    private Key key;
    private String label;
    private Long recipeId;
    private Instant updatedAt;
    private String updatedBy;

    protected PortSettingEntity() {
    }

    PortSettingEntity(Key key) {
        this.key = key;
    }

    void update(String label, Long recipeId, Instant now, String actor) {
        this.label = label;
        this.recipeId = recipeId;
        this.updatedAt = now;
        this.updatedBy = actor;
    }

    String path() {
        return key.path();
    }

    String label() {
        return label;
    }

    Long recipeId() {
        return recipeId;
    }
}
