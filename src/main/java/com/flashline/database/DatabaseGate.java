package com.flashline.database;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Whether the station's database can be reached and can store something now. The probe commits
 * a write (this station's row of {@code database_probe}), so a database that still answers reads
 * but cannot write (a full disk under the H2 file) is DOWN too. It opens a connection of its own
 * with the configured URL and credentials, not one from the pool: a pool that has lost its
 * server backs off between attempts to reconnect (HikariCP up to 5 s) for as long as anyone waits
 * for it, so probing through it would itself delay noticing the server's return.
 *
 * <p>A result is reused for {@link #FRESH} (the health check may be polled by anyone); a failure
 * reported by a job ({@link #markDown}) counts as a probe, so the other jobs in flight stop at
 * their next database write instead of each waiting for the pool's timeout.
 */
@Component
public class DatabaseGate {

    private static final Logger log = LoggerFactory.getLogger(DatabaseGate.class);

    /** How long a probe's answer is reused. */
    static final Duration FRESH = Duration.ofMillis(500);
    /** How often a waiting worker probes again. */
    static final Duration RETRY = Duration.ofMillis(250);
    /** How long the probe waits for the server before it calls it away. */
    static final int PROBE_TIMEOUT_SECONDS = 2;

    /** The last probe: {@code error} null when it succeeded. */
    public record Status(boolean up, Instant checkedAt, String error, Instant downSince) {
    }

    private final String url;
    private final String stationId;
    private final Properties credentials = new Properties();
    private final Clock clock;
    private volatile Status status;
    /** When {@link #status} was taken, on the monotonic clock (a test's wall clock may stand still). */
    private volatile long statusNanos = System.nanoTime() - FRESH.toNanos() - 1;

    /** The pool whose connections are dropped when the database comes back. */
    private final ObjectProvider<DataSource> pool;

    public DatabaseGate(Environment environment, Clock clock, ObjectProvider<DataSource> pool) {
        this.pool = pool;
        this.url = environment.getRequiredProperty("spring.datasource.url");
        this.stationId = environment.getProperty("flashline.station.id", "station");
        String user = environment.getProperty("spring.datasource.username");
        String password = environment.getProperty("spring.datasource.password");
        if (user != null && !user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            // Bounds the probe when the host does not answer at all (a refused port fails at once).
            credentials.setProperty("connectTimeout", String.valueOf(PROBE_TIMEOUT_SECONDS));
            credentials.setProperty("socketTimeout", String.valueOf(PROBE_TIMEOUT_SECONDS));
        }
        this.clock = clock;
        this.status = new Status(true, Instant.EPOCH, null, null);
    }

    /** The last probe's answer, probing again when it is older than {@link #FRESH}. */
    public Status status() {
        Status last = status;
        if (System.nanoTime() - statusNanos < FRESH.toNanos()) {
            return last;
        }
        return probe();
    }

    /** Probes now. */
    public synchronized Status probe() {
        Instant now = clock.instant();
        String error = null;
        try (Connection connection = DriverManager.getConnection(poolUrl(), credentials)) {
            write(connection, now);
        } catch (SQLException | RuntimeException e) {
            error = DatabaseFailures.rootMessage(e);
        }
        return record(error == null, now, error);
    }

    private void write(Connection connection, Instant now) throws SQLException {
        connection.setAutoCommit(false);
        try {
            java.sql.Timestamp at = java.sql.Timestamp.from(now);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE database_probe SET probed_at = ? WHERE station_id = ?")) {
                update.setQueryTimeout(PROBE_TIMEOUT_SECONDS);
                update.setTimestamp(1, at);
                update.setString(2, stationId);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO database_probe (station_id, probed_at) VALUES (?, ?)")) {
                        insert.setString(1, stationId);
                        insert.setTimestamp(2, at);
                        insert.executeUpdate();
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; closing it is all that is left
            }
            throw e;
        }
    }

    /** A job or request found the database unusable: later writes fail at once until a probe succeeds. */
    public void markDown(Throwable failure) {
        if (DatabaseFailures.isGateRefusal(failure)) {
            // Recording the refusal's message as the cause would prefix it again on every refusal
            // ("unavailable: unavailable: … refused").
            return;
        }
        record(false, clock.instant(), DatabaseFailures.rootMessage(failure));
    }

    /** Throws {@link DatabaseUnavailableException} when the last probe found the database away; never blocks. */
    public void requireAvailable() {
        Status last = status;
        if (!last.up()) {
            throw new DatabaseUnavailableException("the station's database is unavailable: " + last.error());
        }
    }

    /**
     * Returns once a probe reaches the database; probes every {@link #RETRY} until then.
     *
     * @throws InterruptedException when the waiting thread is interrupted (the service stops)
     */
    public void awaitAvailable() throws InterruptedException {
        while (!status().up()) {
            Thread.sleep(RETRY.toMillis()); // a poll in production code: the server's return has no event
            probe();
            if (status.up()) {
                return;
            }
        }
    }

    /**
     * The URL the pool really uses: the property may resolve differently each time it is read (a
     * test's {@code jdbc:h2:mem:flashline-${random.uuid}}), and a bean post-processor may have
     * changed the pool's (H2's write delay); the property is the fallback before the pool exists.
     */
    private String poolUrl() {
        DataSource dataSource = pool.getIfAvailable();
        try {
            if (dataSource != null && dataSource.isWrapperFor(HikariDataSource.class)) {
                String jdbcUrl = dataSource.unwrap(HikariDataSource.class).getJdbcUrl();
                if (jdbcUrl != null) {
                    return jdbcUrl;
                }
            }
        } catch (SQLException e) {
            // not a Hikari pool after all: the configured URL
        }
        return url;
    }

    /**
     * The pool's connections may point at a database that closed itself (H2 after a full disk) or
     * at a server that restarted: they are replaced, as they are returned, by new ones, so the first
     * request after the return does not fail on a dead connection.
     */
    private void evictPooledConnections() {
        DataSource dataSource = pool.getIfAvailable();
        if (dataSource == null) {
            return;
        }
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                HikariPoolMXBean hikari = dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
                if (hikari != null) {
                    hikari.softEvictConnections();
                }
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Could not drop the pool's connections after the database came back: {}", e.toString());
        }
    }

    private synchronized Status record(boolean up, Instant at, String error) {
        Status before = status;
        Instant downSince = up ? null : before.up() ? at : before.downSince();
        Status now = new Status(up, at, error, downSince);
        status = now;
        statusNanos = System.nanoTime();
        if (before.up() && !up) {
            log.error("The station's database is unavailable: {}; no job starts until it is back", error);
        } else if (!before.up() && up) {
            log.warn("The station's database is back after {} ms", Duration.between(before.downSince(), at).toMillis());
            evictPooledConnections();
        }
        return now;
    }
}
