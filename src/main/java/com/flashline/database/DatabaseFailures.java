package com.flashline.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Predicate;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells "the database is away or cannot store anything" apart from every other error. A
 * constraint violation or a bad statement is a bug or a conflict and must not look like an
 * outage; a refused connection, a connection the server closed, a pool that timed out, a full
 * disk or a database file the engine had to close are outages.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** True when {@code failure} or one of its causes says the database could not be used. */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseUnavailableException
                    || t instanceof DataAccessResourceFailureException // incl. CannotGetJdbcConnectionException
                    || t instanceof TransientDataAccessResourceException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && unavailableState(sql)) {
                return true;
            }
            if (t.getClass().getName().equals("org.h2.mvstore.MVStoreException")) {
                return true; // H2's file store failed (a write, or a store it closed after one)
            }
            if (t instanceof java.io.IOException && isH2Storage(failure)) {
                // H2 reports a write to its file that failed (e.g. "No space left on device") as a
                // general error (50000) whose cause chain ends in the IOException.
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception), 57P0x (PostgreSQL shutting down or restarted),
     * 53 (insufficient resources: disk full, out of memory), 58 (system error, I/O); and H2's
     * codes for a file it cannot write or a database it closed after such an error.
     */
    private static boolean unavailableState(SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P0") || state.startsWith("53")
                || state.startsWith("58"))) {
            return true;
        }
        int code = sql.getErrorCode();
        return isH2(sql) && (code == 90028 /* IO_EXCEPTION_2 */ || code == 90031 /* IO_EXCEPTION_1 */
                || code == 90030 /* FILE_CORRUPTED */ || code == 90098 /* DATABASE_IS_CLOSED */
                || code == 90121 /* DATABASE_CALLED_AT_SHUTDOWN */ || code == 90100 /* NO_DISK_SPACE_AVAILABLE */);
    }

    /**
     * True when {@code failure} is, or was caused by, the {@link DatabaseGate}'s own refusal: it
     * says nothing the gate does not already know.
     */
    public static boolean isGateRefusal(Throwable failure) {
        return anyCause(failure, t -> t instanceof DatabaseUnavailableException);
    }

    private static boolean isH2Storage(Throwable failure) {
        return anyCause(failure, t -> t.getClass().getName().startsWith("org.h2."));
    }

    private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isH2(SQLException sql) {
        return sql.getClass().getName().startsWith("org.h2.");
    }

    /** The innermost message, which names the real cause (e.g. "Connection refused", "No space left on device"). */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
