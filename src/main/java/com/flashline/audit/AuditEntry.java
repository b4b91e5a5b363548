package com.flashline.audit;

import java.time.Instant;

/**
 * One audit record as a writer supplies it; {@link AuditLog#append} adds the sequence number,
 * station id and time. Fields that do not apply to a type stay null; the actor never does.
 */
public record AuditEntry(AuditType type, Actor actor, String port, String usbSerial, String chipUid, String serialNumber,
        Long jobId, Long recipeId, Long firmwareId, String firmwareSha256, String firmwareVersion,
        String result, String errorCode, String errorMessage, Long durationMs, Instant startedAt,
        Instant finishedAt, String detail, String workOrder, String lot) {

    public AuditEntry {
        if (type == null || actor == null) {
            throw new IllegalArgumentException("every audit record has a type and an actor");
        }
    }

    public static Builder of(AuditType type, Actor actor) {
        return new Builder(type, actor);
    }

    /** Builds an entry field by field; the constructor would be unreadable at call sites. */
    public static final class Builder {
        private final AuditType type;
        private final Actor actor;
        private String port;
        private String usbSerial;
        private String chipUid;
        private String serialNumber;
        private Long jobId;
        private Long recipeId;
        private Long firmwareId;
        private String firmwareSha256;
        private String firmwareVersion;
        private String result;
        private String errorCode;
        private String errorMessage;
        private Long durationMs;
        private Instant startedAt;
        private Instant finishedAt;
        private String detail;
        private String workOrder;
        private String lot;

        private Builder(AuditType type, Actor actor) {
            this.type = type;
            this.actor = actor;
        }

        public Builder port(String value) { port = value; return this; }
        public Builder usbSerial(String value) { usbSerial = value; return this; }
        public Builder chipUid(String value) { chipUid = value; return this; }
        public Builder serialNumber(String value) { serialNumber = value; return this; }
        public Builder jobId(Long value) { jobId = value; return this; }
        public Builder recipeId(Long value) { recipeId = value; return this; }
        public Builder firmwareId(Long value) { firmwareId = value; return this; }
        public Builder firmwareSha256(String value) { firmwareSha256 = value; return this; }
        public Builder firmwareVersion(String value) { firmwareVersion = value; return this; }
        public Builder result(String value) { result = value; return this; }
        public Builder errorCode(String value) { errorCode = value; return this; }
        public Builder errorMessage(String value) { errorMessage = value; return this; }
        public Builder durationMs(Long value) { durationMs = value; return this; }
        public Builder startedAt(Instant value) { startedAt = value; return this; }
        public Builder finishedAt(Instant value) { finishedAt = value; return this; }
        public Builder detail(String value) { detail = value; return this; }
        public Builder workOrder(String value) { workOrder = value; return this; }
        public Builder lot(String value) { lot = value; return this; }

        public AuditEntry build() {
            return new AuditEntry(type, actor, port, usbSerial, chipUid, serialNumber, jobId, recipeId, firmwareId,
                    firmwareSha256, firmwareVersion, result, errorCode, errorMessage, durationMs, startedAt,
                    finishedAt, detail, workOrder, lot);
        }
    }
}
