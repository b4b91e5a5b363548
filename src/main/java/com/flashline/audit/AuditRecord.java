package com.flashline.audit;

import java.time.Instant;

/**
 * One committed audit record as MES reads it; {@code seq} is 1, 2, 3... in commit order.
 *
 * @param actor who did it: a username, {@code token:<name>}, {@code system}, or {@code anonymous}
 *              for a failed sign-in ({@code unknown} on records older than access control)
 * @param hash  SHA-256 over the previous record's hash and this record's canonical form
 *              ({@link AuditChain}); null only on a record written before the chain whose
 *              sealing has not run yet
 * @param workOrder    the number of the work order the record belongs to (a job's, or the work
 *                     order's own records), else null; always null on a version-1 record
 * @param lot          that work order's lot, else null; always null on a version-1 record
 * @param chainVersion the canonical form {@code hash} is computed over ({@link AuditChain}): 1 for
 *                     records written before work orders, 2 since
 */
public record AuditRecord(long seq, AuditType type, Instant recordedAt, String stationId, String port,
        String usbSerial, String chipUid, String serialNumber, Long jobId, Long recipeId, Long firmwareId,
        String firmwareSha256, String firmwareVersion, String result, String errorCode, String errorMessage,
        Long durationMs, Instant startedAt, Instant finishedAt, String detail, String actor, String hash,
        String workOrder, String lot, int chainVersion) {
}
