package com.flashline.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2FileHousekeepingTest {

    /** Commits of a job's shape: a row inserted, updated per phase, a phase row and an audit row appended per commit. */
    private static final int JOBS = 1000;

    @TempDir
    Path directory;

    @Test
    void onlyAnEmbeddedH2FileIsKeptUp() {
        assertThat(H2FileHousekeeping.isEmbeddedH2File("jdbc:h2:file:./data/flashline;WRITE_DELAY=0")).isTrue();
        assertThat(H2FileHousekeeping.isEmbeddedH2File("jdbc:h2:./data/flashline")).isTrue();
        assertThat(H2FileHousekeeping.isEmbeddedH2File("JDBC:H2:FILE:./data/flashline")).isTrue();
        assertThat(H2FileHousekeeping.isEmbeddedH2File("jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1")).isFalse();
        assertThat(H2FileHousekeeping.isEmbeddedH2File("jdbc:h2:tcp://host/~/flashline")).isFalse();
        assertThat(H2FileHousekeeping.isEmbeddedH2File("jdbc:postgresql://127.0.0.1:5432/test")).isFalse();
    }

    @Test
    void withoutHousekeepingTheFileKeepsChunksThatHoldOneLivePage() throws Exception {
        Growth without = run("without", false);
        Growth with = run("with", true);

        // The same commits: the file without housekeeping holds the data several times over in
        // chunks that cannot be freed; with it, the file stays a small multiple of its data.
        assertThat(with.chunksFillPercent()).isGreaterThan(without.chunksFillPercent());
        assertThat(with.fileBytes()).isLessThan(without.fileBytes() / 2);
        assertThat(with.rewrites()).isPositive();
        assertThat(without.rewrites()).isZero();
    }

    @Test
    void anInMemoryDatabaseIsLeftAlone() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:housekeeping;DB_CLOSE_DELAY=-1");
        try (Connection keepOpen = dataSource.getConnection()) {
            H2FileHousekeeping housekeeping = new H2FileHousekeeping(dataSource, dataSource.getURL(), Duration.ofMillis(200));
            assertThat(housekeeping.runOnce()).isFalse();
        }
    }

    @Test
    void aClosedDatabaseIsFoundAgainWhenItReopens() throws Exception {
        JdbcDataSource dataSource = dataSource("reopened");
        H2FileHousekeeping housekeeping = new H2FileHousekeeping(dataSource, dataSource.getURL(), Duration.ofMillis(200));
        try (Connection connection = dataSource.getConnection()) {
            housekeeping.runOnce();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        }
        assertThat(housekeeping.runOnce()).isFalse(); // opens the database again, which is new and tidy
        try (Connection connection = dataSource.getConnection()) {
            assertThat(workload(connection, housekeeping, 300)).isPositive();
        }
    }

    private record Growth(long fileBytes, int chunksFillPercent, int rewrites) {
    }

    private Growth run(String name, boolean housekeeping) throws Exception {
        JdbcDataSource dataSource = dataSource(name);
        H2FileHousekeeping keeper = new H2FileHousekeeping(dataSource, dataSource.getURL(), Duration.ofMillis(200));
        try (Connection connection = dataSource.getConnection()) {
            int rewrites = workload(connection, housekeeping ? keeper : null, JOBS);
            int fill = ((org.h2.engine.SessionLocal) connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession())
                    .getDatabase().getStore().getMvStore().getFileStore().getChunksFillRate();
            return new Growth(Files.size(directory.resolve(name + ".mv.db")), fill, rewrites);
        }
    }

    private JdbcDataSource dataSource(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        // RETENTION_TIME=0: chunks are free to rewrite at once, so the test needs no clock.
        dataSource.setURL("jdbc:h2:file:" + directory.resolve(name) + ";WRITE_DELAY=0;RETENTION_TIME=0");
        dataSource.setUser("sa");
        return dataSource;
    }

    /** @return how many housekeeping passes rewrote a chunk */
    private static int workload(Connection connection, H2FileHousekeeping housekeeping, int jobs) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS job(id BIGINT PRIMARY KEY, phase VARCHAR(20), note VARCHAR(200))");
            statement.execute("CREATE TABLE IF NOT EXISTS audit(seq BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(400))");
        }
        int rewrites = 0;
        long firstId;
        try (Statement statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT COALESCE(MAX(id), 0) FROM job")) {
            rs.next();
            firstId = rs.getLong(1) + 1;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO job VALUES (?, NULL, ?)");
             PreparedStatement phase = connection.prepareStatement("UPDATE job SET phase = ? WHERE id = ?");
             PreparedStatement audit = connection.prepareStatement("INSERT INTO audit(payload) VALUES (?)")) {
            for (long id = firstId; id < firstId + jobs; id++) {
                insert.setLong(1, id);
                insert.setString(2, "x".repeat(100));
                insert.executeUpdate();
                for (int p = 0; p < 8; p++) {
                    phase.setString(1, "PHASE" + p);
                    phase.setLong(2, id);
                    phase.executeUpdate();
                    audit.setString(1, "y".repeat(300));
                    audit.executeUpdate();
                    if (housekeeping != null && p % 4 == 0 && housekeeping.runOnce()) {
                        rewrites++;
                    }
                }
            }
        }
        return rewrites;
    }
}
