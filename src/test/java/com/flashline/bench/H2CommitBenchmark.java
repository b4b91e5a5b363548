package com.flashline.bench;

import com.flashline.config.H2CommitDurability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

/**
 * What durable commits cost on an H2 file database: one autocommitted single-row UPDATE (the shape
 * of a job's phase change) with H2's default write delay, and with the {@code WRITE_DELAY=0} the
 * service adds ({@link H2CommitDurability}). A job commits a few times per phase, never per block,
 * so the difference times about 25 commits is what a job pays.
 */
public final class H2CommitBenchmark implements Benchmark {

    private static final int WARMUP = 300;
    private static final int UPDATES = 2000;

    @Override
    public String name() {
        return "h2commit";
    }

    @Override
    public String description() {
        return "ms per autocommitted UPDATE on an H2 file database, default write delay vs WRITE_DELAY=0";
    }

    @Override
    public List<BenchResult> run() throws Exception {
        Path directory = Files.createTempDirectory("h2commit");
        String plain = "jdbc:h2:file:" + directory.resolve("plain").toAbsolutePath();
        String durable = H2CommitDurability.durable("jdbc:h2:file:" + directory.resolve("durable").toAbsolutePath());
        double lazy = msPerUpdate(plain);
        double eager = msPerUpdate(durable);
        return List.of(BenchResult.info(name(), "update_ms_default_write_delay", lazy, "ms"),
                BenchResult.info(name(), "update_ms_write_delay_0", eager, "ms"),
                BenchResult.info(name(), "extra_ms_per_commit", eager - lazy, "ms"));
    }

    private static double msPerUpdate(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE job (id INT PRIMARY KEY, phase VARCHAR(20), pad VARCHAR(200))");
            for (int i = 0; i < 100; i++) {
                statement.execute("INSERT INTO job VALUES (" + i + ", 'CONNECT', REPEAT('x', 200))");
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE job SET phase = ? WHERE id = ?")) {
                for (int i = 0; i < WARMUP; i++) {
                    run(update, i);
                }
                long started = System.nanoTime();
                for (int i = 0; i < UPDATES; i++) {
                    run(update, i);
                }
                return (System.nanoTime() - started) / 1e6 / UPDATES;
            }
        }
    }

    private static void run(PreparedStatement update, int i) throws Exception {
        update.setString(1, (i & 1) == 0 ? "ERASE" : "WRITE");
        update.setInt(2, i % 100);
        update.executeUpdate();
    }

    public static void main(String[] args) throws Exception {
        new H2CommitBenchmark().run().forEach(r -> System.out.println(r.toJson()));
    }
}
