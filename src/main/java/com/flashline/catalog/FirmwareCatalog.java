package com.flashline.catalog;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditLog;
import com.flashline.audit.AuditType;
import com.flashline.error.DomainException;
import com.flashline.error.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores uploaded firmware files (original bytes plus metadata), content-addressed by SHA-256.
 * A stored firmware is never changed or deleted, so its metadata is cached by id once read (every
 * job reads it when it is queued, prepared and finished).
 */
@Service
public class FirmwareCatalog {

    private final FirmwareRepository firmware;
    private final FirmwareContentRepository contents;
    private final FirmwareInspector inspector;
    private final AuditLog auditLog;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<Long, Firmware> byId = new ConcurrentHashMap<>();

    FirmwareCatalog(FirmwareRepository firmware, FirmwareContentRepository contents, FirmwareInspector inspector,
            AuditLog auditLog, PlatformTransactionManager transactionManager, MeterRegistry meters, Clock clock) {
        this.firmware = firmware;
        this.contents = contents;
        this.inspector = inspector;
        this.auditLog = auditLog;
        this.transactions = new TransactionTemplate(transactionManager);
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * Stores a file unless the same firmware is stored already: the same bytes, and for a raw
     * binary also the same base address ({@link FirmwareIdentity}). A malformed file is rejected
     * with {@link ErrorCode#FIRMWARE_MALFORMED} before anything is written.
     */
    public Firmware upload(byte[] content, String fileName, String name, String version, Long baseAddress,
            Actor actor) {
        String sha256 = Sha256.hex(content);
        Optional<Firmware> existing = findStored(sha256, baseAddress);
        if (existing.isPresent()) {
            return existing.get();
        }
        InspectedFirmware inspected = inspect(content, fileName, baseAddress);
        String effectiveName = name != null && !name.isBlank() ? name.strip() : defaultName(fileName, sha256);
        try {
            Firmware stored = transactions.execute(status -> {
                FirmwareEntity entity = firmware.saveAndFlush(new FirmwareEntity(effectiveName, version, fileName,
                        baseAddress, sha256, content.length, inspected, clock.instant(), actor.name()));
                contents.save(new FirmwareContentEntity(entity.id(), content));
                Firmware result = entity.toFirmware();
                auditLog.append(AuditEntry.of(AuditType.FIRMWARE_UPLOADED, actor)
                        .firmwareId(result.id())
                        .firmwareSha256(sha256)
                        .firmwareVersion(version)
                        .detail("name=" + effectiveName + " format=" + result.format() + " size=" + content.length)
                        .build());
                return result;
            });
            meters.counter("flashline.firmware.uploaded").increment();
            return stored;
        } catch (DataIntegrityViolationException raced) {
            // Another request stored the same firmware between our lookup and our insert.
            return firmware.findByIdentityKey(FirmwareIdentity.key(sha256, inspected.format(), baseAddress))
                    .map(FirmwareEntity::toFirmware).orElseThrow(() -> raced);
        }
    }

    private InspectedFirmware inspect(byte[] content, String fileName, Long baseAddress) {
        try {
            return inspector.inspect(content, fileName, baseAddress);
        } catch (FirmwareRejectedException e) {
            throw new DomainException(e.code(), (fileName != null ? fileName + ": " : "") + e.getMessage(), e.details());
        }
    }

    private static String defaultName(String fileName, String sha256) {
        if (fileName == null || fileName.isBlank()) {
            return "firmware-" + sha256.substring(0, 12);
        }
        String base = fileName.replaceAll(".*[/\\\\]", "");
        return base.length() > 200 ? base.substring(0, 200) : base;
    }

    public List<Firmware> list() {
        return firmware.findAll(Sort.by("id")).stream().map(FirmwareEntity::toFirmware).toList();
    }

    public Optional<Firmware> find(long id) {
        // A firmware that does not exist is not remembered (computeIfAbsent stores no null).
        return Optional.ofNullable(byId.computeIfAbsent(id,
                key -> firmware.findById(key).map(FirmwareEntity::toFirmware).orElse(null)));
    }

    /** @throws DomainException NOT_FOUND */
    public Firmware get(long id) {
        return find(id).orElseThrow(() -> DomainException.notFound("Firmware", id));
    }

    /**
     * The stored firmware these bytes are, without reading them: the self-locating file with this
     * SHA-256, else the raw binary with this SHA-256 at this base address.
     */
    private Optional<Firmware> findStored(String sha256, Long baseAddress) {
        Optional<FirmwareEntity> stored = firmware.findByIdentityKey(sha256);
        if (stored.isEmpty() && baseAddress != null) {
            stored = firmware.findByIdentityKey(FirmwareIdentity.rawKey(sha256, baseAddress));
        }
        return stored.map(FirmwareEntity::toFirmware);
    }

    /** The file exactly as uploaded (for {@link FirmwareImages} to read into an image). */
    public byte[] content(long id) {
        return contents.findById(id).map(FirmwareContentEntity::content)
                .orElseThrow(() -> DomainException.notFound("Firmware", id));
    }
}
