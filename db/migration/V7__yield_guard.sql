-- Station yield guard (issue 15). The same script runs on H2 (2.x) and PostgreSQL (13+).

-- When the yield of a station's last flashline.interlock.yield-window finished jobs falls under
-- flashline.interlock.min-yield, auto-start pauses until an operator enables it again. The pause
-- is kept here so that a restart does not release it; jobs up to counted_after_job_id were
-- finished before the last enable and do not count again.
CREATE TABLE station_yield_guard (
    station_id            VARCHAR(100) PRIMARY KEY,
    paused_reason         VARCHAR(300),
    paused_at             TIMESTAMP WITH TIME ZONE,
    counted_after_job_id  BIGINT       NOT NULL,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by            VARCHAR(100) NOT NULL
);
