package org.est4j.war.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

/**
 * The one place the JDBC store talks to its DataSource: a connection per call, returned to the pool at once, and every
 * {@link SQLException} turned into an {@link IOException} naming what could not be done, which the CA layer answers
 * with 503 and {@code Retry-After} (the database is down, or failing over).
 */
final class Database {

    /** PostgreSQL's SQLSTATE for a unique violation. */
    static final String UNIQUE_VIOLATION = "23505";

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T on(Connection connection) throws SQLException, IOException;
    }

    private final DataSource dataSource;

    Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} on a connection in auto-commit mode: each statement is durable when it returns. */
    <T> T call(String what, Work<T> work) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            return work.on(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs {@code work} in one transaction, committed when it returns and rolled back when it throws: for the steps
     * that must happen together or not at all (an approval used once).
     */
    <T> T transaction(String what, Work<T> work) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.on(c);
                c.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    static IOException failure(String what, SQLException e) {
        // the driver's message names the cause (connection refused, read-only transaction, ...), never a password
        return new IOException("the database could not " + what + ": " + e.getMessage(), e);
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.from(instant);
    }
}
