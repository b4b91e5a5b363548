package com.flashline.station;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.catalog.RecipeService;
import com.flashline.config.FlashLineProperties;
import com.flashline.error.DomainException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class StationService {

    private final StationSettingRepository settings;
    private final RecipeService recipes;
    private final AuditLog auditLog;
    private final FlashLineProperties properties;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<ActiveWorkOrders> activeWorkOrders;
    private final CommittedSettingsCache<StationSettings> cached = new CommittedSettingsCache<>();
    /** The yield guard's pause (runtime copy; the guard keeps it in the database), or null. */
    private final AtomicReference<AutoStartPause> autoStartPause = new AtomicReference<>();

    StationService(StationSettingRepository settings, RecipeService recipes, AuditLog auditLog,
            FlashLineProperties properties, Clock clock, ApplicationEventPublisher events,
            ObjectProvider<ActiveWorkOrders> activeWorkOrders) {
        this.activeWorkOrders = activeWorkOrders;
        this.settings = settings;
        this.recipes = recipes;
        this.auditLog = auditLog;
        this.properties = properties;
        this.clock = clock;
        this.events = events;
    }

    public String stationId() {
        return properties.station().id();
    }

    /** Cached; no transaction of its own, as the read on a miss has one (every port list asks for this). */
    public StationSettings settings() {
        return cached.get(() -> settings.findById(stationId())
                .map(s -> new StationSettings(stationId(), s.defaultRecipeId(), s.autoStart(), properties.workers(),
                        s.updatedBy()))
                .orElseGet(() -> new StationSettings(stationId(), null, false, properties.workers(), null)))
                .withAutoStartPaused(autoStartPause.get());
    }

    /** Why auto-start is paused, while it is. */
    public Optional<AutoStartPause> autoStartPause() {
        return Optional.ofNullable(autoStartPause.get());
    }

    /**
     * Shows auto-start paused (or, with null, running again). The yield guard stores the pause and
     * calls this after its transaction has committed; this is the copy every reader sees.
     */
    public void showAutoStartPause(AutoStartPause pause) {
        autoStartPause.set(pause);
        events.publishEvent(new StationChangedEvent(view()));
    }

    /**
     * The settings with the station's active work order, as {@code GET /station} shows them. Read
     * on each call, not cached like the settings: another station may close this one's work order.
     */
    @Transactional(readOnly = true)
    public StationSettings view() {
        ActiveWorkOrders lookup = activeWorkOrders.getIfAvailable();
        return settings().withActiveWorkOrderId(lookup == null ? null
                : lookup.activeWorkOrderId(stationId()).orElse(null));
    }

    @Transactional
    public StationSettings update(UpdateStationRequest request, Actor actor) {
        if (request.defaultRecipeId() != null && recipes.find(request.defaultRecipeId()).isEmpty()) {
            throw DomainException.invalidField("defaultRecipeId", "recipe " + request.defaultRecipeId() + " does not exist");
        }
        StationSettingEntity entity = settings.findById(stationId())
                .orElseGet(() -> new StationSettingEntity(stationId()));
        entity.update(request.defaultRecipeId(), request.autoStart(), clock.instant(), actor.name());
        settings.saveAndFlush(entity);
        cached.invalidateWhenCommitted();
        auditLog.append(AuditEntry.of(AuditType.STATION_CHANGED, actor)
                .recipeId(request.defaultRecipeId())
                .detail("defaultRecipeId=" + request.defaultRecipeId() + " autoStart=" + request.autoStart())
                .build());
        StationSettings updated = view();
        events.publishEvent(new StationChangedEvent(updated));
        return updated;
    }
}
