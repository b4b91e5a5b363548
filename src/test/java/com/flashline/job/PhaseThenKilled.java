package com.flashline.job;

import com.flashline.config.H2CommitDurability;
import com.flashline.flashing.Phase;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * The child JVM of {@link JobPhaseDurabilityTest}: opens an H2 file database with the URL the service
 * would use for it, starts a job, enters ERASE then WRITE (with ERASE's timing, in one transaction)
 * through the worker's own statements, says so on stdout and dies on the spot (Runtime.halt, as a kill -9 would). Not a test itself.
 */
public final class PhaseThenKilled {

    private PhaseThenKilled() {
    }

    public static void main(String[] args) throws Exception {
        String url = H2CommitDurability.durable(args[0]);
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, "sa", "", true);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        // The job's recipe and firmware do not matter here.
        jdbc.sql("SET REFERENTIAL_INTEGRITY FALSE").update();
        jdbc.sql("INSERT INTO job (id, station_id, port, recipe_id, firmware_id, firmware_sha256, state, bytes_done, "
                        + "bytes_total, attempt, cancel_requested, queued_at, started_by) "
                        + "VALUES (1, 'station-1', 'sim-1', 1, 1, REPEAT('0', 64), 'QUEUED', 0, 0, 0, FALSE, ?, 'test')")
                .param(Instant.now().atOffset(java.time.ZoneOffset.UTC)).update();
        LiveJobStatements statements = new LiveJobStatements(jdbc, new JdbcTransactionManager(dataSource));
        statements.start(1, 1, Instant.now(), null);
        statements.enterPhase(1, Phase.ERASE, "HELD_STATUS");
        // As the recorder does: WRITE entered with ERASE's timing, in one transaction.
        statements.withTiming(() -> statements.enterPhase(1, Phase.WRITE, null), 1,
                new LiveJobStatements.PhaseRow(1, 1, Phase.ERASE, 42));
        System.out.println("IN " + Phase.WRITE);
        System.out.flush();
        // Dies at once as under SIGKILL: no shutdown hook runs, H2 is not closed. (The parent's
        // SIGKILL would arrive some milliseconds later, or under load later than H2's write delay.)
        Runtime.getRuntime().halt(137);
    }
}
