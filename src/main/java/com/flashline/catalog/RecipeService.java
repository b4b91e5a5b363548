package com.flashline.catalog;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import com.flashline.flashing.EraseMode;
import com.flashline.serial.SerialFormat;
import com.flashline.serial.SerialSequences;
import com.flashline.serial.SerialSpec;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Recipes: created once, then immutable (jobs and serial sequences refer to them). */
@Service
public class RecipeService {

    private final RecipeRepository recipes;
    private final FirmwareCatalog firmware;
    private final SerialSequences sequences;
    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final Clock clock;
    /** Recipes are never changed once created, so a recipe read once can serve every later job. */
    private final Map<Long, Recipe> byId = new ConcurrentHashMap<>();

    RecipeService(RecipeRepository recipes, FirmwareCatalog firmware, SerialSequences sequences, AuditLog auditLog,
            PlatformTransactionManager transactionManager, Clock clock) {
        this.recipes = recipes;
        this.firmware = firmware;
        this.sequences = sequences;
        this.auditLog = auditLog;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** Validates everything first; on any error nothing is written. */
    public Recipe create(CreateRecipeRequest request, Actor actor) {
        if (Boolean.FALSE.equals(request.verify())) {
            throw DomainException.invalidField("verify",
                    "cannot be false: every written byte is read back before a board may pass");
        }
        String name = request.name().strip();
        Firmware image = firmware.find(request.firmwareId()).orElseThrow(() ->
                DomainException.invalidField("firmwareId", "firmware " + request.firmwareId() + " does not exist"));
        SerialSpec serial = request.serial() == null ? null : serialSpec(request.serial(), image);
        OptionBytes optionBytes = request.optionBytes() == null ? null
                : new OptionBytes(request.optionBytes().address(),
                        request.optionBytes().hex().toLowerCase(Locale.ROOT));
        if (recipes.existsByName(name)) {
            throw new DomainException(ErrorCode.CONFLICT, "a recipe named '" + name + "' already exists");
        }
        RecipeEntity entity = new RecipeEntity(name, image.id(),
                request.eraseMode() != null ? request.eraseMode() : EraseMode.SECTORS, serial, optionBytes,
                Boolean.TRUE.equals(request.allowUnprotect()), request.leave() == null || request.leave(),
                clock.instant(), actor.name());
        try {
            return transactions.execute(status -> {
                RecipeEntity saved = recipes.saveAndFlush(entity);
                if (serial != null) {
                    sequences.create(saved.id(), serial.start());
                }
                Recipe recipe = saved.toRecipe(image.sha256());
                auditLog.append(AuditEntry.of(AuditType.RECIPE_CREATED, actor)
                        .recipeId(recipe.id())
                        .firmwareId(image.id())
                        .firmwareSha256(image.sha256())
                        .firmwareVersion(image.version())
                        .detail(describe(recipe))
                        .build());
                return recipe;
            });
        } catch (DataIntegrityViolationException raced) {
            throw new DomainException(ErrorCode.CONFLICT, "a recipe named '" + name + "' already exists");
        }
    }

    private static SerialSpec serialSpec(CreateRecipeRequest.Serial request, Firmware image) {
        SerialFormat format;
        try {
            format = SerialFormat.parse(request.format());
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidField("serial.format", e.getMessage());
        }
        int length = request.length() != null ? request.length() : format.defaultLength();
        long start = request.start() != null ? request.start() : 1;
        if (format.binary() && length != 4) {
            throw DomainException.invalidField("serial.length", "must be 4 for format u32le");
        }
        try {
            format.encode(start, length);
        } catch (RuntimeException e) {
            throw DomainException.invalidField("serial.start", e.getMessage());
        }
        if (request.address() + length > 0x1_0000_0000L) {
            throw DomainException.invalidField("serial.address", "the record runs past the 32-bit address space");
        }
        for (FirmwareSegment segment : image.segments()) {
            if (segment.overlaps(request.address(), length)) {
                throw new DomainException(ErrorCode.RECIPE_INVALID, String.format(
                        "serial record 0x%08x..0x%08x overlaps firmware segment 0x%08x..0x%08x",
                        request.address(), request.address() + length, segment.address(), segment.end()));
            }
        }
        return new SerialSpec(request.address(), request.format(), start, length);
    }

    private static String describe(Recipe r) {
        return "name=" + r.name() + " eraseMode=" + r.eraseMode() + " verify=" + r.verify()
                + (r.serial() != null ? " serial=" + r.serial().format() + "@0x" + Long.toHexString(r.serial().address())
                        : "")
                + (r.optionBytes() != null ? " optionBytes@0x" + Long.toHexString(r.optionBytes().address()) : "")
                + " allowUnprotect=" + r.allowUnprotect() + " leave=" + r.leave();
    }

    @Transactional(readOnly = true)
    public List<Recipe> list() {
        return recipes.findAll(Sort.by("id")).stream().map(this::toRecipe).toList();
    }

    @Transactional(readOnly = true)
    public Optional<Recipe> find(long id) {
        // A recipe that does not exist is not remembered (computeIfAbsent stores no null).
        return Optional.ofNullable(byId.computeIfAbsent(id,
                key -> recipes.findById(key).map(this::toRecipe).orElse(null)));
    }

    /** @throws DomainException NOT_FOUND */
    public Recipe get(long id) {
        return find(id).orElseThrow(() -> DomainException.notFound("Recipe", id));
    }

    /** By name, or by id when {@code nameOrId} is all digits (as port configuration may give either). */
    @Transactional(readOnly = true)
    public Optional<Recipe> findByNameOrId(String nameOrId) {
        if (nameOrId == null || nameOrId.isBlank()) {
            return Optional.empty();
        }
        Optional<RecipeEntity> byName = recipes.findByName(nameOrId.strip());
        if (byName.isPresent() || !nameOrId.strip().matches("[0-9]{1,18}")) {
            return byName.map(this::toRecipe);
        }
        return find(Long.parseLong(nameOrId.strip()));
    }

    private Recipe toRecipe(RecipeEntity entity) {
        String sha = firmware.find(entity.firmwareId()).map(Firmware::sha256).orElse(null);
        return entity.toRecipe(sha);
    }
}
