package com.flashline.audit;

import java.util.List;

/**
 * A slice of the audit log after a cursor. {@code next} is the cursor for the following pull: the
 * last returned {@code seq}, or the requested cursor again when nothing new was committed.
 */
public record AuditPage(List<AuditRecord> records, long next) {
}
