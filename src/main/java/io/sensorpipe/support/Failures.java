package io.sensorpipe.support;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The two classes of failure, decided in one place; {@code error-handling.camel.yaml} asks
 * {@link #isTransient} which redelivery policy applies. Transient: a failure that waiting cures
 * (PostgreSQL or the broker unreachable or restarting, a lost connection, a serialization failure or
 * deadlock, a broker's retriable error, a folder the pipeline writes to being unavailable); retried
 * for as long as needed. Anything else is deterministic: retried a bounded number of times at most,
 * then the record is dead-lettered or the file quarantined.
 */
@ApplicationScoped
@Named("failures")
public class Failures {

    /** For {@code onWhen}: whether the exchange's exception is transient. */
    public boolean isTransient(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return isTransient(failure);
    }

    /** Whether this failure, or one it was caused by, is one that waiting cures. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && isTransient(sql)) {
                return true;
            }
            if (t instanceof RetriableException || t instanceof FolderUnavailableException
                    || t instanceof ConnectException || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException || t instanceof EOFException
                    || t instanceof SocketException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransient(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x instanceof SQLTransientException || x instanceof SQLRecoverableException) {
                return true;
            }
            String state = x.getSQLState();
            if (state == null) {
                // The pool's own failures (no connection within the acquisition timeout) carry no state.
                return true;
            }
            if (state.startsWith("08") // connection exception
                    || state.equals("40001") || state.equals("40P01") // serialization failure, deadlock
                    || state.startsWith("53") // insufficient resources (too many connections, disk full)
                    || state.startsWith("57P") // server shutting down, cannot connect now
                    || state.equals("55P03")) { // lock not available
                return true;
            }
        }
        return false;
    }
}
