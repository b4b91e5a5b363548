package com.flashline.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "audit_record")
class AuditRecordEntity {

    @Id
    private long seq;
    @Enumerated(EnumType.STRING)
    private AuditType type;
    private Instant recordedAt;
    private String stationId;
    private String port;
    private String usbSerial;
    private String chipUid;
    private String serialNumber;
    private Long jobId;
    private Long recipeId;
    private Long firmwareId;
    @Column(name = "firmware_sha256")
    private String firmwareSha256;
    private String firmwareVersion;
    private String result;
    private String errorCode;
    private String errorMessage;
    private Long durationMs;
    private Instant startedAt;
    private Instant finishedAt;
    private String detail;
    private String actor;
    private String hash;
    private String workOrder;
    private String lot;
    private int chainVersion;

    protected AuditRecordEntity() {
    }

    AuditRecordEntity(long seq, String stationId, Instant recordedAt, AuditEntry e) {
        this.seq = seq;
        this.stationId = stationId;
        this.recordedAt = AuditChain.stored(recordedAt);
        this.type = e.type();
        this.port = e.port();
        this.usbSerial = e.usbSerial();
        this.chipUid = e.chipUid();
        this.serialNumber = e.serialNumber();
        this.jobId = e.jobId();
        this.recipeId = e.recipeId();
        this.firmwareId = e.firmwareId();
        this.firmwareSha256 = e.firmwareSha256();
        this.firmwareVersion = e.firmwareVersion();
        this.result = e.result();
        this.errorCode = e.errorCode();
        this.errorMessage = truncate(e.errorMessage(), 1000);
        this.durationMs = e.durationMs();
        this.startedAt = AuditChain.stored(e.startedAt());
        this.finishedAt = AuditChain.stored(e.finishedAt());
        this.detail = truncate(e.detail(), 2000);
        this.actor = e.actor().name();
        this.workOrder = e.workOrder();
        this.lot = e.lot();
        this.chainVersion = AuditChain.CURRENT_VERSION;
    }

    long seq() {
        return seq;
    }

    /** Links this record into the chain after the record whose hash is {@code previousHash}; returns its hash. */
    String chainAfter(String previousHash) {
        this.hash = AuditChain.hash(previousHash, toRecord());
        return hash;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    AuditRecord toRecord() {
        return new AuditRecord(seq, type, recordedAt, stationId, port, usbSerial, chipUid, serialNumber, jobId,
                recipeId, firmwareId, firmwareSha256, firmwareVersion, result, errorCode, errorMessage, durationMs,
                startedAt, finishedAt, detail, actor, hash, workOrder, lot, chainVersion);
    }
}
