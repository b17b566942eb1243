package io.sensorpipe.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;

/**
 * Writes a complete file's metrics and marks the file {@code LOADED}, in one transaction, so the
 * metrics of a file exist exactly when its status says it is loaded.
 */
@ApplicationScoped
@Named("metricsWriter")
public class MetricsWriter {

    private static final String INSERT = "INSERT INTO aggregated_metrics (file_id, sensor_id, quantity, sample_count,"
            + " min_value, max_value, mean_value, stddev_value, first_measured_at, last_measured_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (file_id, sensor_id, quantity) DO NOTHING";
    private static final String LOADED = "UPDATE ingest_file SET status = 'LOADED', rows_loaded = ?,"
            + " completed_at = now() WHERE id = ?";

    private final DataSource dataSource;

    public MetricsWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Returns the line that the route logs for the finished file. */
    public String write(@Body FileMetrics metrics) throws SQLException {
        FileSealed sealed = metrics.sealed();
        if (sealed.discarded()) {
            return sealed.fileName() + " QUARANTINED whole: no metrics written";
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT);
                    PreparedStatement loaded = c.prepareStatement(LOADED)) {
                for (Map.Entry<FileMetrics.Key, QuantityStats> e : metrics.stats().entrySet()) {
                    QuantityStats s = e.getValue();
                    insert.setLong(1, metrics.getFileId());
                    insert.setLong(2, e.getKey().sensorId());
                    insert.setString(3, e.getKey().quantity().column());
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
                loaded.setLong(1, metrics.rowsLoaded());
                loaded.setLong(2, metrics.getFileId());
                loaded.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return String.format("%s LOADED: %d rows, %d loaded, %d quarantined, %d metrics rows, %d ms since detection",
                sealed.fileName(), sealed.rowsTotal(), metrics.rowsLoaded(), sealed.rowsQuarantined(),
                metrics.stats().size(), (System.nanoTime() - sealed.startNanos()) / 1_000_000);
    }
}
