package io.sensorpipe.metrics;

import io.sensorpipe.records.FileOutcome;
import io.sensorpipe.records.RefusedRow;
import io.sensorpipe.records.FileSealed;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.jboss.logging.Logger;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.intake.IngestLedger;
import io.sensorpipe.intake.InputFiles;
import io.sensorpipe.records.FileEvent;
import io.sensorpipe.support.Folders;
import io.sensorpipe.quarantine.QuarantineWriter;

/**
 * Finishes a file whose aggregate completed: checks against the database that every row it sent is
 * loaded or refused, writes its metrics, marks it {@code LOADED} with its final counts, and only
 * then moves it out of the data folder. Metrics and status change in one transaction, so the metrics
 * of a file exist exactly when its status says it is loaded, and a replay never writes them twice.
 * When the aggregate does not hold exactly the rows in the database (the pipeline restarted while the
 * file was loading), the metrics are computed by SQL over {@code raw_sensor_data} and {@code reading_value} instead.
 */
@ApplicationScoped
@Named("metricsWriter")
public class MetricsWriter {

    private static final Logger LOG = Logger.getLogger(MetricsWriter.class);

    private static final String INSERT = "INSERT INTO aggregated_metrics (file_id, sensor_id, quantity, sample_count,"
            + " min_value, max_value, mean_value, stddev_value, first_measured_at, last_measured_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (file_id, sensor_id, quantity) DO NOTHING";
    private static final String INSERT_FROM_ROWS = "INSERT INTO aggregated_metrics (file_id, sensor_id, quantity,"
            + " sample_count, min_value, max_value, mean_value, stddev_value, first_measured_at, last_measured_at)"
            + " SELECT r.file_id, r.sensor_id, q.quantity, count(*), min(q.v), max(q.v), avg(q.v), stddev_samp(q.v),"
            + " min(r.measured_at), max(r.measured_at) FROM raw_sensor_data r CROSS JOIN LATERAL (VALUES"
            + " ('pressure_hpa', r.pressure_hpa), ('temperature_c', r.temperature_c), ('humidity_pct', r.humidity_pct),"
            + " ('pm10_ugm3', r.pm10_ugm3), ('pm25_ugm3', r.pm25_ugm3)) AS q (quantity, v)"
            + " WHERE r.file_id = ? AND q.v IS NOT NULL GROUP BY r.file_id, r.sensor_id, q.quantity"
            + " UNION ALL"
            + " SELECT r.file_id, r.sensor_id, v.quantity, count(*), min(v.value), max(v.value), avg(v.value),"
            + " stddev_samp(v.value), min(r.measured_at), max(r.measured_at) FROM reading_value v"
            + " JOIN raw_sensor_data r USING (file_id, line_number)"
            + " WHERE v.file_id = ? GROUP BY r.file_id, r.sensor_id, v.quantity"
            + " ON CONFLICT (file_id, sensor_id, quantity) DO NOTHING";
    // rows_total - rows_loaded = rows rejected by the rules + rows refused by the database.
    private static final String LOADED = "UPDATE ingest_file SET rows_loaded = ?,"
            + " rows_quarantined = rows_total - ?,"
            + " first_rejected_line = LEAST(first_rejected_line, ?), last_rejected_line = GREATEST(last_rejected_line, ?),"
            + " completed_at = now(), status = ? WHERE id = ?";
    private static final String REFUSED_COUNT = "INSERT INTO file_rejection (file_id, field, rule, rejections)"
            + " VALUES (?, 'row', 'database', ?) ON CONFLICT (file_id, field, rule) DO UPDATE SET rejections = EXCLUDED.rejections";

    private final DataSource dataSource;
    private final QuarantineWriter quarantine;
    private final IngestLedger ledger;
    private final InputFiles inputFiles;
    private final Folders folders;

    public MetricsWriter(DataSource dataSource, QuarantineWriter quarantine, IngestLedger ledger,
            InputFiles inputFiles, Folders folders) {
        this.folders = folders;
        this.dataSource = dataSource;
        this.quarantine = quarantine;
        this.ledger = ledger;
        this.inputFiles = inputFiles;
    }

    public FileOutcome write(@Body FileMetrics metrics) throws SQLException, IOException {
        FileSealed sealed = metrics.sealed();
        if (metrics.poisoned() != null) {
            return quarantine.finishPoisoned(sealed, metrics.poisoned());
        }
        long fileId = metrics.getFileId();
        long loaded;
        List<RefusedRow> refused;
        boolean recomputed;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String status = lockStatus(c, fileId);
                if (!IngestStatus.PROCESSING.is(status)) {
                    c.rollback();
                    return new FileOutcome(sealed, sealed.fileName() + " is already " + status
                            + ": rows delivered again were skipped");
                }
                loaded = count(c, fileId);
                refused = refused(c, fileId);
                if (loaded + refused.size() < sealed.rowsExpected()) {
                    // The seal follows the file's chunks in their partition: rows missing now are lost
                    // (say, the topic's partitions were added while the file was in flight). Never LOADED.
                    c.rollback();
                    throw new IllegalStateException(String.format("%d of the %d rows the read sent are in the"
                            + " database when its seal arrived", loaded + refused.size(), sealed.rowsExpected()));
                }
                if (loaded + refused.size() > sealed.rowsExpected()) {
                    // Only if the rules changed between a read cut short and its re-read.
                    LOG.warnf("%s: %d rows in the database, more than the %d this read sent: rows loaded by an"
                            + " earlier read under other rules stay loaded", sealed.fileName(),
                            loaded + refused.size(), sealed.rowsExpected());
                }
                recomputed = metrics.rowsLoaded() != loaded;
                if (recomputed) {
                    insertFromRows(c, fileId);
                } else {
                    insert(c, metrics);
                }
                markLoaded(c, fileId, loaded, refused);
                // Quarantine files first: rewritten whole, so a crash before the commit only repeats them.
                quarantine.finishLoaded(sealed, loaded, refused);
                // The file leaves data/ once LOADED: wait (PROCESSING) while data/.done cannot take it.
                folders.requireWritable(folders.done());
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        inputFiles.release(sealed.path(), ledger.doneFile(fileId, sealed.fileName()));
        FileEvent loadedEvent = FileEvent.finished(fileId, sealed.path().toAbsolutePath().toString(),
                sealed.fileName(), sealed.quality() == null ? null : sealed.quality().sha256(), IngestStatus.LOADED,
                sealed.rowsTotal(), loaded, sealed.rowsTotal() - loaded, null);
        return new FileOutcome(sealed, String.format(
                "%s LOADED: %d rows, %d loaded, %d quarantined (%d refused by the database), metrics %s,"
                        + " %d ms since detection",
                sealed.fileName(), sealed.rowsTotal(), loaded, sealed.rowsQuarantined() + refused.size(),
                refused.size(), recomputed ? "computed from the loaded rows (the load was resumed)"
                        : metrics.stats().size() + " rows",
                System.currentTimeMillis() - sealed.startedAt()), loadedEvent);
    }

    private static String lockStatus(Connection c, long fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM ingest_file WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "unknown";
            }
        }
    }

    private static long count(Connection c, long fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM reading WHERE file_id = ?")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<RefusedRow> refused(Connection c, long fileId) throws SQLException {
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

    private static void insertFromRows(Connection c, long fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_FROM_ROWS)) {
            ps.setLong(1, fileId);
            ps.setLong(2, fileId);
            ps.executeUpdate();
        }
    }

    private static void insert(Connection c, FileMetrics metrics) throws SQLException {
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

    private static void markLoaded(Connection c, long fileId, long loaded, List<RefusedRow> refused)
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
