package com.flashline.serial;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.catalog.Recipe;
import com.flashline.catalog.RecipeService;
import com.flashline.catalog.SerialSpec;
import com.flashline.config.FlashLineProperties;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands out serial numbers: one sequence per recipe, never a number twice, and the same number
 * again for a chip UID that already has one.
 *
 * <p>Each allocation commits on its own, before the number is written to the device: a number
 * once taken stays with that chip even when the job later fails, so a retry writes the same one.
 * Concurrency (threads here and other stations on the same PostgreSQL) is settled by the
 * database: the recipe's {@code serial_sequence} row is locked with {@code SELECT ... FOR UPDATE}
 * while the chip's existing number is looked up and the next value is taken, and the unique
 * constraints on (recipe, uid) and (recipe, value) back that up.
 */
@Service
public class SerialAllocator {

    private final EntityManager entityManager;
    private final RecipeService recipes;
    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;
    private final String stationId;
    private final Clock clock;

    SerialAllocator(EntityManager entityManager, RecipeService recipes, AuditLog auditLog,
            PlatformTransactionManager transactionManager, MeterRegistry meters, FlashLineProperties properties,
            Clock clock) {
        this.entityManager = entityManager;
        this.recipes = recipes;
        this.auditLog = auditLog;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.meters = meters;
        this.stationId = properties.station().id();
        this.clock = clock;
    }

    public AllocatedSerial allocate(long recipeId, String chipUid, Actor actor) {
        return allocate(recipeId, chipUid, null, null, null, actor);
    }

    /**
     * @param jobId, port, usbSerial recorded on the SERIAL_ALLOCATED audit record; may be null
     * @param actor who the allocation is for: whoever started the job
     * @throws SerialAllocationException NOT_SERIALISED or EXHAUSTED (nothing is allocated then)
     */
    public AllocatedSerial allocate(long recipeId, String chipUid, Long jobId, String port, String usbSerial,
            Actor actor) {
        if (chipUid == null || chipUid.isBlank() || chipUid.length() > 64) {
            throw new IllegalArgumentException("chip UID must be 1..64 characters");
        }
        Recipe recipe = recipes.find(recipeId).orElseThrow(() ->
                new IllegalArgumentException("recipe " + recipeId + " does not exist"));
        SerialSpec spec = recipe.serial();
        if (spec == null) {
            throw new SerialAllocationException(SerialAllocationException.NOT_SERIALISED,
                    "recipe " + recipe.name() + " has no serial number configuration");
        }
        SerialFormat format = spec.serialFormat();
        AllocatedSerial allocated;
        try {
            allocated = transactions.execute(status -> {
                Optional<Long> existing = assignedValue(recipeId, chipUid);
                if (existing.isPresent()) {
                    return result(recipeId, chipUid, existing.get(), spec, format, true);
                }
                long next = lockSequence(recipeId);
                existing = assignedValue(recipeId, chipUid);
                if (existing.isPresent()) {
                    return result(recipeId, chipUid, existing.get(), spec, format, true);
                }
                AllocatedSerial taken = result(recipeId, chipUid, next, spec, format, false);
                entityManager.createNativeQuery("INSERT INTO serial_assignment "
                                + "(recipe_id, chip_uid, serial_value, serial_text, station_id, allocated_at) "
                                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                        .setParameter(1, recipeId)
                        .setParameter(2, chipUid)
                        .setParameter(3, next)
                        .setParameter(4, taken.text())
                        .setParameter(5, stationId)
                        .setParameter(6, Timestamp.from(clock.instant()))
                        .executeUpdate();
                entityManager.createNativeQuery("UPDATE serial_sequence SET next_value = ?1 WHERE recipe_id = ?2")
                        .setParameter(1, next + 1)
                        .setParameter(2, recipeId)
                        .executeUpdate();
                auditLog.append(AuditEntry.of(AuditType.SERIAL_ALLOCATED, actor)
                        .recipeId(recipeId)
                        .chipUid(chipUid)
                        .serialNumber(taken.text())
                        .jobId(jobId)
                        .port(port)
                        .usbSerial(usbSerial)
                        .firmwareId(recipe.firmwareId())
                        .firmwareSha256(recipe.firmwareSha256())
                        .build());
                return taken;
            });
        } catch (DataIntegrityViolationException e) {
            // Only possible if a writer bypassed the row lock; the constraint kept the data right.
            throw new IllegalStateException("serial constraint violated for recipe " + recipeId + ", chip " + chipUid, e);
        }
        if (!allocated.reused()) {
            meters.counter("flashline.serials.allocated", "recipe", Long.toString(recipeId)).increment();
        }
        return allocated;
    }

    private AllocatedSerial result(long recipeId, String chipUid, long value, SerialSpec spec, SerialFormat format,
            boolean reused) {
        byte[] bytes = format.encode(value, spec.length());
        return new AllocatedSerial(recipeId, chipUid, value, format.text(value), spec.address(), bytes, reused);
    }

    private long lockSequence(long recipeId) {
        @SuppressWarnings("unchecked")
        List<Number> rows = entityManager.createNativeQuery(
                        "SELECT next_value FROM serial_sequence WHERE recipe_id = ?1 FOR UPDATE")
                .setParameter(1, recipeId)
                .getResultList();
        if (rows.isEmpty()) {
            throw new SerialAllocationException(SerialAllocationException.NOT_SERIALISED,
                    "recipe " + recipeId + " has no serial sequence");
        }
        return rows.get(0).longValue();
    }

    private Optional<Long> assignedValue(long recipeId, String chipUid) {
        @SuppressWarnings("unchecked")
        List<Number> rows = entityManager.createNativeQuery(
                        "SELECT serial_value FROM serial_assignment WHERE recipe_id = ?1 AND chip_uid = ?2")
                .setParameter(1, recipeId)
                .setParameter(2, chipUid)
                .getResultList();
        return rows.stream().findFirst().map(Number::longValue);
    }
}
