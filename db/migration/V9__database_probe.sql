-- One row per station, rewritten by the database health probe (com.flashline.database.DatabaseGate):
-- a write that must commit, so that a database that still answers reads but cannot store anything
-- (a full disk under the H2 file) is reported DOWN, not only a server that is away.
CREATE TABLE database_probe (
    station_id VARCHAR(100) PRIMARY KEY,
    probed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
