package com.flashline.station;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "station_setting")
class StationSettingEntity {

    @Id
    private String stationId;
    private Long defaultRecipeId;
    private boolean autoStart;
    private Instant updatedAt;
    private String updatedBy;

    protected StationSettingEntity() {
    }

    StationSettingEntity(String stationId) {
        this.stationId = stationId;
    }

    void update(Long defaultRecipeId, boolean autoStart, Instant now, String actor) {
        this.defaultRecipeId = defaultRecipeId;
        this.autoStart = autoStart;
        this.updatedAt = now;
        this.updatedBy = actor;
    }

    Long defaultRecipeId() {
        return defaultRecipeId;
    }

    boolean autoStart() {
        return autoStart;
    }

    String updatedBy() {
        return updatedBy;
    }
}
