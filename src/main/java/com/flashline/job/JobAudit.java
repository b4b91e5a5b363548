package com.flashline.job;

import com.flashline.audit.Actor;
import com.flashline.audit.AuditEntry;
import com.flashline.audit.AuditType;

/** The audit record for a job reaching a final state. */
final class JobAudit {

    private JobAudit() {
    }

    static AuditEntry entry(AuditType type, JobEntity job, String firmwareVersion, Actor actor) {
        return AuditEntry.of(type, actor)
                .jobId(job.id())
                .port(job.port())
                .usbSerial(job.usbSerial())
                .chipUid(job.chipUid())
                .serialNumber(job.serialNumber())
                .recipeId(job.recipeId())
                .firmwareId(job.firmwareId())
                .firmwareSha256(job.firmwareSha256())
                .firmwareVersion(firmwareVersion)
                .result(job.state().name())
                .errorCode(job.errorCode())
                .errorMessage(job.errorMessage())
                .durationMs(job.durationMs())
                .startedAt(job.startedAt())
                .finishedAt(job.finishedAt())
                .workOrder(job.workOrder())
                .lot(job.lot())
                .detail(job.mismatchAddress() == null ? null
                        : String.format("firstMismatchAddress=0x%08x", job.mismatchAddress()))
                .build();
    }
}
