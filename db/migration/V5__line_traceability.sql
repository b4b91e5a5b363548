-- Line traceability (issue 15). The same script runs on H2 (2.x) and PostgreSQL (13+).

-- A firmware's identity: the file's SHA-256 for self-locating formats (HEX, S-record, ELF,
-- DfuSe); for a raw binary the SHA-256 and the base address it was uploaded for, because the
-- same bytes at another address are another image. Before, the file's SHA-256 alone was unique,
-- so a second upload of a .bin at another address answered with the first record.
ALTER TABLE firmware ADD COLUMN identity_key VARCHAR(90);
UPDATE firmware SET identity_key = CASE
    WHEN format = 'BIN' THEN sha256 || '@' || CAST(base_address AS VARCHAR(20))
    ELSE sha256 END;
ALTER TABLE firmware ALTER COLUMN identity_key SET NOT NULL;
ALTER TABLE firmware DROP CONSTRAINT uk_firmware_sha256;
ALTER TABLE firmware ADD CONSTRAINT uk_firmware_identity UNIQUE (identity_key);
CREATE INDEX ix_firmware_sha256 ON firmware (sha256);

-- The audit hash chain: every record's hash = SHA-256(previous record's hash || its canonical
-- form) (docs/api.md). The head keeps the last record's hash, so that a deleted tail is found
-- too. On a database with records already, the head's hash stays null here and the first start
-- after the upgrade links those records into the chain from the first one (AuditLog), because
-- the same SHA-256 in SQL is not written alike on H2 and PostgreSQL. Without records the chain
-- starts at the genesis, 64 zeros.
ALTER TABLE audit_record ADD COLUMN hash CHAR(64);
ALTER TABLE audit_head ADD COLUMN last_hash CHAR(64);
UPDATE audit_head SET last_hash = '0000000000000000000000000000000000000000000000000000000000000000'
    WHERE last_seq = 0;

-- MES push (transactional outbox): the audit log is the outbox, committed with the change it
-- records; this row is each station's position in it, the seq of its last record the broker
-- acknowledged. Publishing resumes after it, so a record may be sent twice, never skipped.
CREATE TABLE mes_delivery (
    station_id  VARCHAR(100) PRIMARY KEY,
    last_seq    BIGINT       NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
-- A station reads its own records after its position.
CREATE INDEX ix_audit_record_station_seq ON audit_record (station_id, seq);

-- Port interlocks: a port whose last flashline.interlock.max-consecutive-failures finished jobs
-- failed is disabled until an operator enables it again. Jobs up to counted_after_job_id were
-- finished before the last enable and do not count again.
CREATE TABLE port_interlock (
    station_id            VARCHAR(100) NOT NULL,
    path                  VARCHAR(64)  NOT NULL,
    disabled_reason       VARCHAR(300),
    disabled_at           TIMESTAMP WITH TIME ZONE,
    counted_after_job_id  BIGINT       NOT NULL,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by            VARCHAR(100) NOT NULL,
    PRIMARY KEY (station_id, path)
);
