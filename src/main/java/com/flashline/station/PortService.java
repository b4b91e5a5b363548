package com.flashline.station;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.catalog.Recipe;
import com.flashline.catalog.RecipeService;
import com.flashline.config.FlashLineProperties;
import com.flashline.error.DomainException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Port configuration (label, recipe) merged from three places, highest first: what was set
 * through {@code PUT /ports/{path}}, {@code flashline.ports.<path>.*} in the configuration, and
 * for the recipe the station default.
 */
@Service
public class PortService {

    private static final Logger log = LoggerFactory.getLogger(PortService.class);

    private final PortSettingRepository settings;
    private final PortRegistry registry;
    private final RecipeService recipes;
    private final StationService station;
    private final AuditLog auditLog;
    private final FlashLineProperties properties;
    private final Clock clock;
    private final CommittedSettingsCache<Map<String, StoredPort>> stored = new CommittedSettingsCache<>();

    /** What {@code PUT /ports/{path}} stored for a port; null fields were not set. */
    private record StoredPort(String label, Long recipeId) {
    }

    PortService(PortSettingRepository settings, PortRegistry registry, RecipeService recipes, StationService station,
            AuditLog auditLog, FlashLineProperties properties, Clock clock) {
        this.settings = settings;
        this.registry = registry;
        this.recipes = recipes;
        this.station = station;
        this.auditLog = auditLog;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Every configured port and every port a device has been seen on, by path. No transaction: the
     * stored settings and the station's are cached and the rest is in memory, so a session opened
     * for it (dashboards poll this) would hold nothing.
     */
    public java.util.List<PortView> list() {
        Map<String, StoredPort> stored = storedPorts();
        TreeSet<String> paths = new TreeSet<>(stored.keySet());
        paths.addAll(properties.ports().keySet());
        registry.ports().forEach(p -> paths.add(p.path()));
        Long stationDefault = station.settings().defaultRecipeId();
        return paths.stream().map(path -> view(path, stored.get(path), stationDefault)).toList();
    }

    @Transactional(readOnly = true)
    public PortView get(String path) {
        return view(path, storedPorts().get(path), station.settings().defaultRecipeId());
    }

    /**
     * The recipe for a job on {@code path} when the request names none: the port's own, else the
     * station default; empty when neither is set.
     */
    @Transactional(readOnly = true)
    public Optional<Long> effectiveRecipeId(String path) {
        return Optional.ofNullable(get(path).recipeId());
    }

    /**
     * The port's own recipe (set through {@code PUT /ports/{path}} or configured), without the
     * station default: it wins over the active work order's recipe, the default does not.
     */
    @Transactional(readOnly = true)
    public Optional<Long> ownRecipeId(String path) {
        StoredPort own = storedPorts().get(path);
        return Optional.ofNullable(own != null && own.recipeId() != null ? own.recipeId()
                : configuredRecipe(path, properties.ports().get(path)));
    }

    @Transactional
    public PortView update(String path, UpdatePortRequest request, Actor actor) {
        if (request.recipeId() != null && recipes.find(request.recipeId()).isEmpty()) {
            throw DomainException.invalidField("recipeId", "recipe " + request.recipeId() + " does not exist");
        }
        PortSettingEntity entity = settings.findById(new PortSettingEntity.Key(station.stationId(), path))
                .orElseGet(() -> new PortSettingEntity(new PortSettingEntity.Key(station.stationId(), path)));
        String label = request.label() == null || request.label().isBlank() ? null : request.label().strip();
        entity.update(label, request.recipeId(), clock.instant(), actor.name());
        settings.saveAndFlush(entity);
        stored.invalidateWhenCommitted();
        auditLog.append(AuditEntry.of(AuditType.PORT_CHANGED, actor)
                .port(path)
                .recipeId(request.recipeId())
                .detail("label=" + label + " recipeId=" + request.recipeId())
                .build());
        registry.settingsChanged(path);
        return get(path);
    }

    /** Sets only the port's label (what an OPERATOR may change); its recipe stays as it is. */
    @Transactional
    public PortView updateLabel(String path, String label, Actor actor) {
        StoredPort current = storedPorts().get(path);
        return update(path, new UpdatePortRequest(label, current == null ? null : current.recipeId()), actor);
    }

    private Map<String, StoredPort> storedPorts() {
        return stored.get(() -> settings.findByKeyStationId(station.stationId()).stream()
                .collect(Collectors.toUnmodifiableMap(PortSettingEntity::path,
                        e -> new StoredPort(e.label(), e.recipeId()))));
    }

    private PortView view(String path, StoredPort stored, Long stationDefault) {
        FlashLineProperties.Port configured = properties.ports().get(path);
        String label = stored != null && stored.label() != null ? stored.label()
                : configured != null && configured.label() != null ? configured.label() : path;
        Long recipeId = stored != null && stored.recipeId() != null ? stored.recipeId() : configuredRecipe(path, configured);
        if (recipeId == null) {
            recipeId = stationDefault;
        }
        PortStatus status = registry.port(path).orElse(PortStatus.empty(path, clock.instant()));
        PortView.Device device = status.device() == null ? null
                : new PortView.Device(status.device().usb().serialNumber(), status.device().chipUid());
        return new PortView(path, label, recipeId, status.state(), status.reason(), device, status.currentJobId(),
                status.lastJobId(), status.since());
    }

    private Long configuredRecipe(String path, FlashLineProperties.Port configured) {
        if (configured == null || configured.recipe() == null) {
            return null;
        }
        Optional<Recipe> recipe = recipes.findByNameOrId(configured.recipe());
        if (recipe.isEmpty()) {
            log.warn("flashline.ports.{}.recipe names '{}', which is no recipe; the port falls back to the station default",
                    path, configured.recipe());
        }
        return recipe.map(Recipe::id).orElse(null);
    }
}
