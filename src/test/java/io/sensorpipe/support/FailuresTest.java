package io.sensorpipe.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.sensorpipe.routes.LedgerDatabase;

/**
 * What docs/failures.md calls transient, with failures PostgreSQL really raises: a
 * serialization failure (40001) and a deadlock (40P01) are retried for as long as needed; a unique
 * violation (23505) is not.
 */
class FailuresTest {

    @Test
    void aSerializationFailureIsTransient() throws Exception {
        DataSource database = LedgerDatabase.fresh();
        execute(database, "CREATE TABLE tally (n int)");
        try (Connection a = database.getConnection(); Connection b = database.getConnection()) {
            for (Connection c : new Connection[] {a, b}) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            }
            // Each reads what the other writes: one of the two cannot be serialised.
            a.createStatement().executeQuery("SELECT count(*) FROM tally").close();
            b.createStatement().executeQuery("SELECT count(*) FROM tally").close();
            a.createStatement().executeUpdate("INSERT INTO tally VALUES (1)");
            b.createStatement().executeUpdate("INSERT INTO tally VALUES (2)");
            a.commit();
            SQLException failure = null;
            try {
                b.commit();
            } catch (SQLException e) {
                failure = e;
            }
            assertEquals("40001", failure == null ? null : failure.getSQLState(), "PostgreSQL refuses the second commit");
            assertTrue(Failures.isTransient(failure));
            assertTrue(Failures.isTransient(new RuntimeException("wrapped", failure)), "found as a cause too");
        }
    }

    @Test
    void aDeadlockIsTransientAndAUniqueViolationIsNot() throws Exception {
        DataSource database = LedgerDatabase.fresh();
        execute(database, "CREATE TABLE lockable (id int PRIMARY KEY); INSERT INTO lockable VALUES (1), (2)");
        try (Connection a = database.getConnection(); Connection b = database.getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            a.createStatement().executeUpdate("UPDATE lockable SET id = id WHERE id = 1");
            b.createStatement().executeUpdate("UPDATE lockable SET id = id WHERE id = 2");
            CountDownLatch waiting = new CountDownLatch(1);
            CompletableFuture<SQLException> first = CompletableFuture.supplyAsync(() -> {
                waiting.countDown();
                return update(a, "UPDATE lockable SET id = id WHERE id = 2");
            });
            waiting.await();
            Thread.sleep(200); // a waits for b's lock; b's next statement closes the cycle
            SQLException second = update(b, "UPDATE lockable SET id = id WHERE id = 1");
            SQLException deadlock = second != null ? second : first.get(30, TimeUnit.SECONDS);
            assertEquals("40P01", deadlock == null ? null : deadlock.getSQLState(), "PostgreSQL breaks the cycle");
            assertTrue(Failures.isTransient(deadlock));
            // The victim's locks go with its rollback; only then may the other's statement end.
            if (second != null) {
                b.rollback();
                first.get(30, TimeUnit.SECONDS);
                a.rollback();
            } else {
                a.rollback();
                b.rollback();
            }
        }
        SQLException duplicate;
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO lockable VALUES (1)");
            duplicate = null;
        } catch (SQLException e) {
            duplicate = e;
        }
        assertEquals("23505", duplicate == null ? null : duplicate.getSQLState());
        assertFalse(Failures.isTransient(duplicate), "waiting does not cure a duplicate key");
    }

    private static SQLException update(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    private static void execute(DataSource database, String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
