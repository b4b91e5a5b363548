package com.flashline.bench;

import com.flashline.support.PostgresTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The database of the {@code soak} benchmark's service, and how big it is: the data its tables
 * and indexes take, asked over the benchmark's own connection while the service runs, and the
 * files it occupies.
 */
abstract class SoakDatabase implements AutoCloseable {

    static SoakDatabase of(String kind, Path dbDir) throws IOException {
        return switch (kind) {
            case "h2" -> new H2(dbDir);
            case "postgres" -> new Postgres();
            default -> throw new IllegalArgumentException("bench.soak.database must be h2 or postgres, not " + kind);
        };
    }

    abstract String kind();

    /** The {@code spring.datasource.*} and Flyway settings of the service. */
    abstract Map<String, String> serviceProperties();

    /** Tables and indexes, live rows and what the database has not yet given back. */
    long dataBytes() throws IOException {
        return tableBytes().values().stream().mapToLong(Long::longValue).sum();
    }

    /** {@link #dataBytes()} per table (lower-case names), largest first. */
    abstract Map<String, Long> tableBytes() throws IOException;

    static Map<String, Long> tableSizes(Connection c, String sql, String parameter) throws SQLException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sizes.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getLong(2));
                }
            }
        }
        return sizes;
    }

    /** The data ({@link #dataBytes()}) and what the database occupies on disk, now. */
    record Size(long dataBytes, long fileBytes) {
    }

    abstract Size size() throws IOException;

    /** After the service has stopped: what the database occupies once closed (compacted for H2). */
    abstract double closedFileMib() throws IOException;

    @Override
    public void close() throws IOException {
    }

    /**
     * An H2 file database. {@code AUTO_SERVER}: the service, opening it first, serves it over a
     * loopback TCP port so that this second process can connect while the service runs.
     */
    private static final class H2 extends SoakDatabase {

        private final Path dbDir;
        private final String url;

        H2(Path dbDir) {
            this.dbDir = dbDir;
            this.url = "jdbc:h2:file:" + dbDir.resolve("soak") + ";AUTO_SERVER=TRUE";
        }

        @Override
        String kind() {
            return "h2";
        }

        @Override
        Map<String, String> serviceProperties() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("spring.datasource.url", url + ";LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64");
            return p;
        }

        @Override
        Map<String, Long> tableBytes() throws IOException {
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                return tableSizes(c, "SELECT table_name, DISK_SPACE_USED('PUBLIC.\"' || table_name || '\"') AS bytes "
                        + "FROM information_schema.tables WHERE table_schema = 'PUBLIC' AND table_type = 'BASE TABLE' "
                        + "ORDER BY bytes DESC", null);
            } catch (SQLException e) {
                throw new IOException("measuring the H2 database: " + e.getMessage(), e);
            }
        }

        @Override
        Size size() throws IOException {
            return new Size(dataBytes(), fileBytes());
        }

        private long fileBytes() throws IOException {
            try (Stream<Path> files = Files.list(dbDir)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".mv.db")).mapToLong(f -> f.toFile().length())
                        .sum();
            }
        }

        @Override
        double closedFileMib() throws IOException {
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dbDir.resolve("soak"), "sa", "");
                    Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            } catch (SQLException e) {
                throw new IOException("compacting the H2 database: " + e.getMessage(), e);
            }
            return fileBytes() / 1048576.0;
        }
    }

    /** A schema of its own on the server of {@code FLASHLINE_TEST_POSTGRES_URL}, dropped at the end. */
    private static final class Postgres extends SoakDatabase {

        private final PostgresTestServer.Server server;
        private final String schema;

        Postgres() throws IOException {
            String unavailable = PostgresTestServer.unavailableReason();
            if (unavailable != null) {
                throw new IOException(unavailable);
            }
            server = PostgresTestServer.server();
            schema = "flsoak_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            execute("CREATE SCHEMA " + schema);
        }

        @Override
        String kind() {
            return "postgres";
        }

        @Override
        Map<String, String> serviceProperties() {
            return server.serviceProperties(schema);
        }

        @Override
        Map<String, Long> tableBytes() throws IOException {
            // Heap, indexes and TOAST of every table of the schema, dead tuples not yet vacuumed included.
            try (Connection c = server.connect()) {
                return tableSizes(c, "SELECT tablename, pg_total_relation_size(format('%I.%I', schemaname, tablename)) "
                        + "AS bytes FROM pg_tables WHERE schemaname = ? ORDER BY bytes DESC", schema);
            } catch (SQLException e) {
                throw new IOException("measuring the PostgreSQL schema: " + e.getMessage(), e);
            }
        }

        /** PostgreSQL's relation sizes are its files. */
        @Override
        Size size() throws IOException {
            long data = dataBytes();
            return new Size(data, data);
        }

        @Override
        double closedFileMib() throws IOException {
            return dataBytes() / 1048576.0;
        }

        @Override
        public void close() throws IOException {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }

        private void execute(String sql) throws IOException {
            try {
                server.execute(sql);
            } catch (SQLException e) {
                throw new IOException(sql + ": " + e.getMessage(), e);
            }
        }
    }
}
