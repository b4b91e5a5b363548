package com.flashline.audit;

/** The audit log's head row: the last committed seq and that record's hash (null before the chain is sealed). */
record AuditHead(long seq, String hash) {
}
