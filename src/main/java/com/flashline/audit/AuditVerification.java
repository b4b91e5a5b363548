package com.flashline.audit;

/**
 * The outcome of checking the audit chain from the first record to the head.
 *
 * @param valid           every record is there and its hash is right, and the head names the last one
 * @param records         records checked and found right (up to the first wrong one)
 * @param headSeq         the last committed seq when the check began
 * @param headHash        its hash as the head row keeps it; MES compares it with its own copy
 * @param firstInvalidSeq the first seq that is missing, changed or whose hash does not follow; null when valid
 */
public record AuditVerification(boolean valid, long records, long headSeq, String headHash, Long firstInvalidSeq) {
}
