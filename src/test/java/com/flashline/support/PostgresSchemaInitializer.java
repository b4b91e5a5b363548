package com.flashline.support;

import java.sql.SQLException;
import java.util.UUID;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Gives each Spring test context its own PostgreSQL schema ({@code flt_<random>}), which Flyway
 * migrates and which is dropped when the context closes, so parallel and repeated runs on one
 * server never see each other's rows.
 */
public class PostgresSchemaInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        PostgresTestServer.Server server = PostgresTestServer.server();
        String schema = "flt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(server, "CREATE SCHEMA " + schema);
        TestPropertyValues.of(server.serviceProperties(schema))
                .and("flashline.test.schema=" + schema)
                .applyTo(context);
        context.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> {
            if (event.getApplicationContext() == context) {
                execute(server, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        });
    }

    private static void execute(PostgresTestServer.Server server, String sql) {
        try {
            server.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on the test PostgreSQL server", e);
        }
    }
}
