package com.flashline.station;

/**
 * This station's settings.
 *
 * @param id              from {@code flashline.station.id}
 * @param defaultRecipeId recipe for ports without their own, or null
 * @param autoStart       whether a board arriving on a port with a recipe is flashed without a POST /jobs
 * @param workers         boards flashed at once ({@code flashline.workers}), read-only here
 * @param updatedBy       the actor who last changed the settings, or null when nobody has
 * @param activeWorkOrderId the station's active work order, or null (not a setting: shown with them,
 *                        see {@link StationService#view()})
 * @param autoStartPaused why auto-start is paused by the yield guard, or null while it is not
 */
public record StationSettings(String id, Long defaultRecipeId, boolean autoStart, int workers, String updatedBy,
        Long activeWorkOrderId, AutoStartPause autoStartPaused) {

    /** The settings alone, as stored. */
    public StationSettings(String id, Long defaultRecipeId, boolean autoStart, int workers, String updatedBy) {
        this(id, defaultRecipeId, autoStart, workers, updatedBy, null, null);
    }

    StationSettings withActiveWorkOrderId(Long id) {
        return new StationSettings(this.id, defaultRecipeId, autoStart, workers, updatedBy, id, autoStartPaused);
    }

    StationSettings withAutoStartPaused(AutoStartPause pause) {
        return new StationSettings(id, defaultRecipeId, autoStart, workers, updatedBy, activeWorkOrderId, pause);
    }
}
