package com.flashline.database;

/** Thrown without touching the connection pool when the {@link DatabaseGate} already knows the database is away. */
public class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message) {
        super(message);
    }
}
