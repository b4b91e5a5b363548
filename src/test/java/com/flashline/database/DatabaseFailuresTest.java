package com.flashline.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Outages are told apart from conflicts and bugs, however deep they are wrapped. */
class DatabaseFailuresTest {

    @Test
    void aLostServerIsAnOutage() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5999 refused", "08001");
        assertThat(DatabaseFailures.isUnavailable(new CannotCreateTransactionException("no tx", refused))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new CannotGetJdbcConnectionException("pool", refused))).isTrue();
        assertThat(DatabaseFailures.isUnavailable(new RuntimeException(new SQLException("terminating", "57P01"))))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new RuntimeException(new SQLException("disk full", "53100"))))
                .isTrue();
        assertThat(DatabaseFailures.isUnavailable(new DatabaseUnavailableException("known"))).isTrue();
        assertThat(DatabaseFailures.rootMessage(new CannotCreateTransactionException("no tx", refused)))
                .isEqualTo("Connection to 127.0.0.1:5999 refused");
    }

    @Test
    void conflictsAndBugsAreNot() {
        assertThat(DatabaseFailures.isUnavailable(new DataIntegrityViolationException("dup",
                new SQLIntegrityConstraintViolationException("unique", "23505")))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new CannotAcquireLockException("lock timeout",
                new SQLException("timeout", "HYT00")))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new JpaSystemException(new RuntimeException(new IOException("x")))))
                .as("an IOException outside H2").isFalse();
    }

    @Test
    void h2sFullDiskAndClosedDatabaseAreOutages() {
        SQLException closed = new SQLException("The database has been closed", "90098", 90098) {
        };
        // Only H2's own exception classes carry its codes; a plain SQLException with 90098 is not H2's.
        assertThat(DatabaseFailures.isUnavailable(closed)).isFalse();
        assertThat(DatabaseFailures.isUnavailable(new JpaSystemException(new RuntimeException(
                new org.h2.jdbc.JdbcSQLNonTransientException("General error", null, "HY000", 50000,
                        new IOException("No space left on device"), null))))).isTrue();
        assertThat(DatabaseFailures.rootMessage(new JpaSystemException(new RuntimeException(
                new org.h2.jdbc.JdbcSQLNonTransientException("General error", null, "HY000", 50000,
                        new IOException("No space left on device"), null))))).isEqualTo("No space left on device");
    }
}
