/**
 * Whether the station's database can be reached: {@link com.flashline.database.DatabaseGate}
 * probes it on a connection of its own (outside the pool), the {@code database} health check
 * reports it, workers wait on it before they start a job, and
 * {@link com.flashline.database.DatabaseFailures} tells a lost or unusable database apart from
 * other errors, for the job failure code {@code DATABASE_ERROR} and the REST code
 * {@code DATABASE_UNAVAILABLE}.
 */
package com.flashline.database;
