package io.sensorpipe.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;

import org.jboss.logging.Logger;

import io.sensorpipe.records.SensorReading;

/**
 * The loader's fallback when PostgreSQL refuses a row's data: the batch's rows one by one, each under a
 * savepoint, the refused ones into {@code refused_row} with the database's reason.
 */
final class RowByRow {

    private static final Logger LOG = Logger.getLogger(RowByRow.class);

    static final String REFUSE = "INSERT INTO refused_row (file_id, line_number, sql_state, reason, raw)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (file_id, line_number) DO NOTHING";

    private RowByRow() {
    }

    /** Inserts the {@code loadable} readings one by one; marks each inserted or refused. */
    static void insert(Connection c, ReadingRow row, List<SensorReading> readings, List<Integer> loadable,
            boolean[] inserted, boolean[] refused, SensorSites sites) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO reading (" + row.columns() + ") VALUES ("
                + row.placeholders() + ") ON CONFLICT (file_id, line_number) DO NOTHING");
                PreparedStatement refuse = c.prepareStatement(REFUSE)) {
            for (int i : loadable) {
                SensorReading r = readings.get(i);
                Savepoint savepoint = c.setSavepoint();
                try {
                    row.bind(insert, r, sites.idOf(r));
                    inserted[i] = insert.executeUpdate() > 0;
                    c.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    c.rollback(savepoint);
                    if (!isRefusedData(e)) {
                        throw e;
                    }
                    refuse.setLong(1, r.fileId());
                    refuse.setLong(2, r.line());
                    refuse.setString(3, e.getSQLState());
                    refuse.setString(4, firstLine(e));
                    refuse.setString(5, r.raw() == null ? "" : r.raw());
                    refused[i] = refuse.executeUpdate() > 0;
                    LOG.warnf("%s line %d refused by PostgreSQL: %s", r.fileName(), r.line(), firstLine(e));
                }
            }
        }
    }

    /**
     * Whether PostgreSQL refused the data itself (SQLSTATE class 22, data exception, or 23, integrity
     * constraint violation), which no retry can cure, as opposed to being unreachable or overloaded.
     */
    static boolean isRefusedData(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    static String firstLine(SQLException e) {
        SQLException x = e.getNextException() != null ? e.getNextException() : e;
        String message = String.valueOf(x.getMessage());
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
