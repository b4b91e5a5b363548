package com.flashline.serial;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.config.FlashLineProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
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
 * constraints on (recipe, uid) and (recipe, value) back that up. The statements are plain SQL on
 * the allocation's own transaction; its only entity, the audit record, is appended last.
 */
@Service
public class SerialAllocator {

    private final JdbcClient jdbc;
    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;
    private final String stationId;
    private final Clock clock;

    SerialAllocator(JdbcClient jdbc, AuditLog auditLog, PlatformTransactionManager transactionManager,
            MeterRegistry meters, FlashLineProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.meters = meters;
        this.stationId = properties.station().id();
        this.clock = clock;
    }

    public AllocatedSerial allocate(SerialSequence sequence, String chipUid, Actor actor) {
        return allocate(sequence, chipUid, null, null, null, actor);
    }

    /**
     * @param jobId, port, usbSerial recorded on the SERIAL_ALLOCATED audit record; may be null
     * @param actor who the allocation is for: whoever started the job
     * @throws SerialAllocationException NOT_SERIALISED or EXHAUSTED (nothing is allocated then)
     */
    public AllocatedSerial allocate(SerialSequence sequence, String chipUid, Long jobId, String port,
            String usbSerial, Actor actor) {
        if (chipUid == null || chipUid.isBlank() || chipUid.length() > 64) {
            throw new IllegalArgumentException("chip UID must be 1..64 characters");
        }
        long recipeId = sequence.recipeId();
        SerialSpec spec = sequence.spec();
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
                jdbc.sql("INSERT INTO serial_assignment "
                                + "(recipe_id, chip_uid, serial_value, serial_text, station_id, allocated_at) "
                                + "VALUES (?, ?, ?, ?, ?, ?)")
                        .params(recipeId, chipUid, next, taken.text(), stationId,
                                clock.instant().atOffset(ZoneOffset.UTC))
                        .update();
                jdbc.sql("UPDATE serial_sequence SET next_value = ? WHERE recipe_id = ?")
                        .params(next + 1, recipeId)
                        .update();
                auditLog.append(AuditEntry.of(AuditType.SERIAL_ALLOCATED, actor)
                        .recipeId(recipeId)
                        .chipUid(chipUid)
                        .serialNumber(taken.text())
                        .jobId(jobId)
                        .port(port)
                        .usbSerial(usbSerial)
                        .firmwareId(sequence.firmwareId())
                        .firmwareSha256(sequence.firmwareSha256())
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
        return jdbc.sql("SELECT next_value FROM serial_sequence WHERE recipe_id = ? FOR UPDATE")
                .param(recipeId)
                .query(Long.class)
                .optional()
                .orElseThrow(() -> new SerialAllocationException(SerialAllocationException.NOT_SERIALISED,
                        "recipe " + recipeId + " has no serial sequence"));
    }

    private Optional<Long> assignedValue(long recipeId, String chipUid) {
        return jdbc.sql("SELECT serial_value FROM serial_assignment WHERE recipe_id = ? AND chip_uid = ?")
                .params(recipeId, chipUid)
                .query(Long.class)
                .optional();
    }
}
