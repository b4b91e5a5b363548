package com.flashline.job;

import com.flashline.error.FailureCode;
import com.flashline.flashing.Phase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

@Entity
@Table(name = "job")
class JobEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String stationId;
    private String port;
    private String usbSerial;
    private String chipUid;
    private String pollPolicy;
    private long recipeId;
    private long firmwareId;
    @Column(name = "firmware_sha256")
    private String firmwareSha256;
    @Enumerated(EnumType.STRING)
    private JobState state;
    @Enumerated(EnumType.STRING)
    private Phase phase;
    private long bytesDone;
    private long bytesTotal;
    private int attempt;
    private String serialNumber;
    private boolean cancelRequested;
    private Instant queuedAt;
    private Instant startedAt;
    private Instant finishedAt;
    private Long durationMs;
    private String errorCode;
    private String errorMessage;
    private Long mismatchAddress;
    private String startedBy;
    private String cancelledBy;
    private Long workOrderId;
    private String workOrder;
    private String lot;

    protected JobEntity() {
    }

    JobEntity(String stationId, String port, String usbSerial, long recipeId, long firmwareId, String firmwareSha256,
            Instant queuedAt, String startedBy, Long workOrderId, String workOrder, String lot) {
        this.stationId = stationId;
        this.port = port;
        this.usbSerial = usbSerial;
        this.recipeId = recipeId;
        this.firmwareId = firmwareId;
        this.firmwareSha256 = firmwareSha256;
        this.state = JobState.QUEUED;
        this.queuedAt = queuedAt;
        this.startedBy = startedBy;
        this.workOrderId = workOrderId;
        this.workOrder = workOrder;
        this.lot = lot;
    }

    void identify(String usbSerial, String chipUid) {
        if (usbSerial != null) {
            this.usbSerial = usbSerial;
        }
        this.chipUid = chipUid;
    }

    void pollPolicy(String pollPolicy) {
        this.pollPolicy = pollPolicy;
    }

    void requestCancel() {
        this.cancelRequested = true;
    }

    void cancelledBy(String actor) {
        this.cancelledBy = actor;
    }

    void finish(JobState outcome, Instant now, long bytesDone, long bytesTotal) {
        this.state = outcome;
        this.finishedAt = now;
        this.bytesDone = bytesDone;
        this.bytesTotal = bytesTotal;
        this.durationMs = startedAt == null ? 0L : Duration.between(startedAt, now).toMillis();
    }

    void pass(String serialNumber) {
        this.serialNumber = serialNumber;
    }

    void error(FailureCode code, String message, Long mismatchAddress) {
        this.errorCode = code.name();
        this.errorMessage = message == null || message.length() <= 1000 ? message : message.substring(0, 1000);
        this.mismatchAddress = mismatchAddress;
    }

    JobRow row() {
        return new JobRow(id, stationId, port, usbSerial, chipUid, pollPolicy, recipeId, firmwareId, firmwareSha256,
                state, phase, bytesDone, bytesTotal, attempt, serialNumber, cancelRequested, queuedAt, startedAt,
                finishedAt, durationMs, errorCode, errorMessage, mismatchAddress, startedBy, cancelledBy, workOrder, lot);
    }

    Long id() { return id; }
    String stationId() { return stationId; }
    String port() { return port; }
    String usbSerial() { return usbSerial; }
    String chipUid() { return chipUid; }
    String pollPolicy() { return pollPolicy; }
    long recipeId() { return recipeId; }
    long firmwareId() { return firmwareId; }
    String firmwareSha256() { return firmwareSha256; }
    JobState state() { return state; }
    Phase phase() { return phase; }
    long bytesDone() { return bytesDone; }
    long bytesTotal() { return bytesTotal; }
    int attempt() { return attempt; }
    String serialNumber() { return serialNumber; }
    boolean cancelRequested() { return cancelRequested; }
    Instant queuedAt() { return queuedAt; }
    Instant startedAt() { return startedAt; }
    Instant finishedAt() { return finishedAt; }
    Long durationMs() { return durationMs; }
    String errorCode() { return errorCode; }
    String errorMessage() { return errorMessage; }
    Long mismatchAddress() { return mismatchAddress; }
    String startedBy() { return startedBy; }
    String cancelledBy() { return cancelledBy; }
    Long workOrderId() { return workOrderId; }
    String workOrder() { return workOrder; }
    String lot() { return lot; }
}
