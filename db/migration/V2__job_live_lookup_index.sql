-- Every board that arrives asks "has this port a queued or running job?", dashboards and MES
-- pulls list jobs by state, and recovery looks for the station's live jobs. With the state
-- first, each of these reads only the few live rows. ix_job_station_state led with the station,
-- so these lookups read every job the station (or the port, through ix_job_port) ever recorded:
-- a cost that grew with the factory's history on each board.
CREATE INDEX ix_job_state_station_port ON job (state, station_id, port);
DROP INDEX ix_job_station_state;
