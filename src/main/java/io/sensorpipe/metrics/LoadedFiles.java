package io.sensorpipe.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.records.RefusedRow;
import io.sensorpipe.sources.Quantity;

/**
 * The SQL that finishes a loaded file, each statement in the caller's transaction: its status, locked;
 * its rows in the database, loaded and refused; its metrics, from the aggregate or by SQL over its rows;
 * and {@code LOADED} with its final counts.
 */
final class LoadedFiles {

    private static final String INSERT = "INSERT INTO aggregated_metrics (file_id, sensor_id, quantity, sample_count,"
            + " min_value, max_value, mean_value, stddev_value, first_measured_at, last_measured_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (file_id, sensor_id, quantity) DO NOTHING";
    private static final String METRICS_FROM = "INSERT INTO aggregated_metrics (file_id, sensor_id, quantity,"
            + " sample_count, min_value, max_value, mean_value, stddev_value, first_measured_at, last_measured_at) ";
    private static final String FROM_VALUES = "SELECT v.file_id, s.sensor_id, v.quantity, count(*), min(v.value),"
            + " max(v.value), avg(v.value), stddev_samp(v.value), min(r.measured_at), max(r.measured_at)"
            + " FROM reading_value v JOIN reading r USING (file_id, line_number) JOIN sensor_site s USING (site_id)"
            + " WHERE v.file_id = ? GROUP BY v.file_id, s.sensor_id, v.quantity";
    // rows_total - rows_loaded = rows rejected by the rules + rows refused by the database.
    private static final String LOADED = "UPDATE ingest_file SET rows_loaded = ?,"
            + " rows_quarantined = rows_total - ?,"
            + " first_rejected_line = LEAST(first_rejected_line, ?), last_rejected_line = GREATEST(last_rejected_line, ?),"
            + " completed_at = now(), status = ? WHERE id = ?";
    private static final String REFUSED_COUNT = "INSERT INTO file_rejection (file_id, field, rule, rejections)"
            + " VALUES (?, 'row', 'database', ?) ON CONFLICT (file_id, field, rule) DO UPDATE SET rejections = EXCLUDED.rejections";

    private LoadedFiles() {
    }

    static String lockStatus(Connection c, long fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM ingest_file WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "unknown";
            }
        }
    }

    static long count(Connection c, long fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM reading WHERE file_id = ?")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static List<RefusedRow> refused(Connection c, long fileId) throws SQLException {
        List<RefusedRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT line_number, sql_state, reason, raw FROM refused_row"
                + " WHERE file_id = ? ORDER BY line_number")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RefusedRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return rows;
    }

    /**
     * The file's metrics computed by SQL over its stored rows: per sensor and quantity, from the quantities'
     * columns of {@code reading} (their names checked by the catalogue and against the table by the
     * loader) and from {@code reading_value}.
     */
    static void insertFromRows(Connection c, long fileId, List<Quantity> quantities) throws SQLException {
        List<Quantity> columns = quantities.stream().filter(q -> q.readingColumn() != null).toList();
        StringBuilder sql = new StringBuilder(METRICS_FROM);
        if (!columns.isEmpty()) {
            sql.append("SELECT r.file_id, s.sensor_id, q.quantity, count(*), min(q.v), max(q.v), avg(q.v),"
                    + " stddev_samp(q.v), min(r.measured_at), max(r.measured_at) FROM reading r"
                    + " JOIN sensor_site s USING (site_id) CROSS JOIN LATERAL (VALUES ");
            for (int i = 0; i < columns.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?::text, r.").append(columns.get(i).readingColumn()).append(')');
            }
            sql.append(") AS q (quantity, v) WHERE r.file_id = ? AND q.v IS NOT NULL"
                    + " GROUP BY r.file_id, s.sensor_id, q.quantity UNION ALL ");
        }
        sql.append(FROM_VALUES).append(" ON CONFLICT (file_id, sensor_id, quantity) DO NOTHING");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Quantity q : columns) {
                ps.setString(p++, q.storedName());
            }
            if (!columns.isEmpty()) {
                ps.setLong(p++, fileId);
            }
            ps.setLong(p, fileId);
            ps.executeUpdate();
        }
    }

    static void insert(Connection c, FileMetrics metrics) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Map.Entry<FileMetrics.Key, QuantityStats> e : metrics.stats().entrySet()) {
                QuantityStats s = e.getValue();
                insert.setLong(1, metrics.getFileId());
                insert.setLong(2, e.getKey().sensorId());
                insert.setString(3, e.getKey().quantity());
                insert.setLong(4, s.count());
                insert.setDouble(5, s.min());
                insert.setDouble(6, s.max());
                insert.setDouble(7, s.mean());
                if (s.stddev() == null) {
                    insert.setNull(8, Types.DOUBLE);
                } else {
                    insert.setDouble(8, s.stddev());
                }
                insert.setTimestamp(9, Timestamp.from(s.first()));
                insert.setTimestamp(10, Timestamp.from(s.last()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    static void markLoaded(Connection c, long fileId, long loaded, List<RefusedRow> refused)
            throws SQLException {
        try (PreparedStatement mark = c.prepareStatement(LOADED)) {
            mark.setLong(1, loaded);
            mark.setLong(2, loaded);
            if (refused.isEmpty()) {
                mark.setNull(3, Types.BIGINT);
                mark.setNull(4, Types.BIGINT);
            } else {
                mark.setLong(3, refused.get(0).line());
                mark.setLong(4, refused.get(refused.size() - 1).line());
            }
            mark.setString(5, IngestStatus.LOADED.name());
            mark.setLong(6, fileId);
            mark.executeUpdate();
        }
        if (!refused.isEmpty()) {
            try (PreparedStatement count = c.prepareStatement(REFUSED_COUNT)) {
                count.setLong(1, fileId);
                count.setLong(2, refused.size());
                count.executeUpdate();
            }
        }
    }
}
