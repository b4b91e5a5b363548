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
 */
public record AuditRecord(long seq, AuditType type, Instant recordedAt, String stationId, String port,
        String usbSerial, String chipUid, String serialNumber, Long jobId, Long recipeId, Long firmwareId,
        String firmwareSha256, String firmwareVersion, String result, String errorCode, String errorMessage,
        Long durationMs, Instant startedAt, Instant finishedAt, String detail, String actor, String hash) {
}
