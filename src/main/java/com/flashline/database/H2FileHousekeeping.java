package com.flashline.database;

import com.flashline.config.H2CommitDurability;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Rewrites the H2 file's sparsely used chunks, the housekeeping H2 itself only does on its
 * background writer thread, which {@code WRITE_DELAY=0} switches off (that setting is what makes
 * every commit durable before it returns; docs/reliability.md, "Disk full").
 *
 * <p>Without it the file grows without bound: every commit writes a new chunk, and a chunk that
 * still holds one live page (a table's rightmost leaf, an index node) is never freed, so the file
 * grew by about 100 MiB per 1,000 jobs while the data grew by 0.93 MiB, and every commit's search
 * for free space in the growing file got slower (the H2 soak, docs/reliability.md, row 7). Each run
 * moves at most {@link #WRITE_LIMIT_BYTES} of live pages out of chunks that are older than H2's
 * retention time, H2's own figure per run when the store is busy; the emptied chunks are freed by
 * later commits once the retention time has passed, as H2 frees any other chunk.
 *
 * <p>Only for an embedded H2 file database ({@link H2CommitDurability#isH2File}, not behind an H2
 * server); on PostgreSQL or an in-memory H2 it does nothing. A
 * failed run (database closed, disk full) is logged at debug level and tried again at the next
 * interval: the database gate reports the outage, not this.
 */
@Component
public class H2FileHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(H2FileHousekeeping.class);

    /** Chunks are rewritten while the file's chunks hold less live data than this (percent). */
    static final int TARGET_CHUNK_FILL_PERCENT = 80;
    /** At most this much live data moved per run, so a worker's commit never waits long for it. */
    static final int WRITE_LIMIT_BYTES = 256 * 1024;
    /** About H2's own pace: its background writer keeps house every third of WRITE_DELAY (500 ms by default). */
    static final Duration INTERVAL = Duration.ofMillis(200);

    private final DataSource dataSource;
    private final String url;
    private final Duration interval;
    private ScheduledExecutorService executor;
    private MVStore store;

    @Autowired
    public H2FileHousekeeping(DataSource dataSource, @Value("${spring.datasource.url}") String url) {
        this(dataSource, url, INTERVAL);
    }

    H2FileHousekeeping(DataSource dataSource, String url, Duration interval) {
        this.dataSource = dataSource;
        this.url = url;
        this.interval = interval;
    }

    /** Whether {@code url} names an H2 database in a file this process opens itself. */
    static boolean isEmbeddedH2File(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        return H2CommitDurability.isH2File(url) && !upper.startsWith("JDBC:H2:TCP:") && !upper.startsWith("JDBC:H2:SSL:");
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void start() {
        if (!isEmbeddedH2File(url) || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flashline-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long every = interval.toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * One pass: rewrites up to {@link #WRITE_LIMIT_BYTES} of live pages out of old, sparsely used
     * chunks. Skipped when a commit holds the store (it tries the lock, it does not wait).
     *
     * @return whether a chunk was rewritten
     */
    boolean runOnce() {
        try {
            MVStore current = store();
            return current != null && current.compact(TARGET_CHUNK_FILL_PERCENT, WRITE_LIMIT_BYTES);
        } catch (SQLException | RuntimeException e) {
            log.debug("H2 housekeeping skipped: {}", e.toString());
            store = null;
            return false;
        }
    }

    /** The open file store, looked up again after the database was closed (e.g. reopened after a full disk). */
    private MVStore store() throws SQLException {
        MVStore current = store;
        if (current != null && !current.isClosed()) {
            return current;
        }
        store = null;
        try (Connection connection = dataSource.getConnection()) {
            if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
                MVStore opened = session.getDatabase().getStore().getMvStore();
                if (opened.getFileStore() != null && !opened.isClosed()) {
                    store = opened;
                }
            }
        }
        return store;
    }

    @PreDestroy
    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                // H2 closes the file when the context's data source goes: let a pass in progress end first.
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
