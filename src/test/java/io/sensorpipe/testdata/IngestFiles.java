package io.sensorpipe.testdata;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Reads what the pipeline recorded about files, for tests against the real database. */
public final class IngestFiles {

    private static final List<String> COLUMNS = List.of("id", "status", "rows_total", "rows_loaded",
            "rows_quarantined", "rows_blank", "error", "duplicate_of", "failed_reads", "source", "source_version");

    private final DataSource dataSource;

    public IngestFiles(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The file's {@code ingest_file} row by name, or null; fails if the name is recorded twice. */
    public Map<String, Object> byName(String name) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + String.join(", ", COLUMNS) + " FROM ingest_file WHERE file_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (String column : COLUMNS) {
                    row.put(column, rs.getObject(column));
                }
                if (rs.next()) {
                    throw new AssertionError("more than one ingest_file row for " + name);
                }
                return row;
            }
        }
    }

    /**
     * Waits until a file of this name recorded after {@code afterId} (read again, say) has left PROCESSING
     * and returns its row.
     */
    public Map<String, Object> awaitFinishedAfter(String name, long afterId) throws SQLException {
        java.util.concurrent.atomic.AtomicReference<Map<String, Object>> found = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT " + String.join(", ", COLUMNS) + " FROM ingest_file WHERE file_name = ? AND id > ?"
                            + " ORDER BY id DESC LIMIT 1")) {
                ps.setString(1, name);
                ps.setLong(2, afterId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || "PROCESSING".equals(rs.getString("status"))) {
                        return false;
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (String column : COLUMNS) {
                        row.put(column, rs.getObject(column));
                    }
                    found.set(row);
                    return true;
                }
            }
        });
        return found.get();
    }

    /** Waits until the file has left PROCESSING and returns its row. */
    public Map<String, Object> awaitFinished(String name) throws SQLException {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, Object> row = byName(name);
            return row != null && !"PROCESSING".equals(row.get("status"));
        });
        return byName(name);
    }

    /**
     * Takes a file a test has loaded and checked out of the way of the tests after it, which share the
     * database: its rows removed and its row marked {@code QUARANTINED}, so that the same content (a
     * real file, say) loads again as new in another test instead of being its duplicate.
     */
    public void retire(long fileId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement remove = c.prepareStatement(io.sensorpipe.intake.QuarantinedFiles.REMOVE_ROWS);
                    PreparedStatement mark = c.prepareStatement("UPDATE ingest_file SET status = 'QUARANTINED',"
                            + " rows_loaded = 0, rows_quarantined = rows_total, error = 'retired by the test that loaded it'"
                            + " WHERE id = ? AND status = 'LOADED'")) {
                remove.setLong(1, fileId);
                remove.setLong(2, fileId);
                remove.executeUpdate();
                mark.setLong(1, fileId);
                mark.executeUpdate();
                c.commit();
            }
        }
    }

    /** A single number from a query with one {@code bigint} parameter. */
    public long count(String sql, long parameter) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
