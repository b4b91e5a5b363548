package com.flashline.support;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server the Postgres variants of the repository tests use, found once per JVM:
 * a Testcontainers container when Docker is available, else the server whose JDBC URL is in
 * {@value #URL_VARIABLE} (CI sets it), else none, with the reason.
 */
public final class PostgresTestServer {

    public static final String URL_VARIABLE = "FLASHLINE_TEST_POSTGRES_URL";

    /** Where to connect: a JDBC URL without credentials, plus the credentials. */
    public record Server(String jdbcUrl, String user, String password) {

        public Connection connect() throws SQLException {
            Properties props = new Properties();
            if (user != null) {
                props.setProperty("user", user);
            }
            if (password != null) {
                props.setProperty("password", password);
            }
            return DriverManager.getConnection(jdbcUrl, props);
        }

        /** The URL with {@code currentSchema} set, so Flyway and Hibernate work inside that schema. */
        public String urlForSchema(String schema) {
            return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }

        /** The {@code spring.datasource.*} and Flyway settings of a service working inside {@code schema}. */
        public Map<String, String> serviceProperties(String schema) {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("spring.datasource.url", urlForSchema(schema));
            properties.put("spring.datasource.username", user != null ? user : "");
            properties.put("spring.datasource.password", password != null ? password : "");
            properties.put("spring.flyway.schemas", schema);
            return properties;
        }

        /** Runs one statement on a connection of its own (creating and dropping schemas). */
        public void execute(String sql) throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }

    private static Server server;
    private static String unavailableReason;
    private static boolean resolved;

    private PostgresTestServer() {
    }

    public static synchronized Server server() {
        resolve();
        if (server == null) {
            throw new IllegalStateException(unavailableReason);
        }
        return server;
    }

    /** Null when a server is available, else why not. */
    public static synchronized String unavailableReason() {
        resolve();
        return unavailableReason;
    }

    private static void resolve() {
        if (resolved) {
            return;
        }
        resolved = true;
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start(); // stopped by Testcontainers' reaper when the JVM exits
            server = new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
            return;
        }
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            unavailableReason = "PostgreSQL tests skipped: Docker is not available for Testcontainers and "
                    + URL_VARIABLE + " is not set (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres)";
            return;
        }
        Server candidate = fromUrl(url.strip());
        try (Connection ignored = candidate.connect()) {
            server = candidate;
        } catch (SQLException e) {
            unavailableReason = "PostgreSQL tests skipped: cannot connect to " + URL_VARIABLE + " (" + candidate.jdbcUrl()
                    + "): " + e.getMessage();
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Splits {@code user} and {@code password} out of the query so they can be passed as properties. */
    static Server fromUrl(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return new Server(url, null, null);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : url.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        String user = params.remove("user");
        String password = params.remove("password");
        StringBuilder rest = new StringBuilder(url.substring(0, q));
        String sep = "?";
        for (Map.Entry<String, String> e : params.entrySet()) {
            rest.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = "&";
        }
        URI.create(rest.toString().substring("jdbc:".length())); // fail early on a malformed URL
        return new Server(rest.toString(), user, password);
    }
}
