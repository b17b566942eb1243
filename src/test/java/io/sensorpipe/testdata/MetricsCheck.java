package io.sensorpipe.testdata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Compares a file's {@code aggregated_metrics} with what PostgreSQL computes over its
 * {@code raw_sensor_data}: same (sensor, quantity) groups, equal counts and timestamps, and values
 * equal to 1e-9 relative.
 */
public final class MetricsCheck {

    private static final String COMPARE = """
            WITH expected AS (
                SELECT r.sensor_id, q.quantity, count(*) AS n, min(q.v) AS mn, max(q.v) AS mx, avg(q.v) AS mean,
                       stddev_samp(q.v) AS sd, min(r.measured_at) AS first_at, max(r.measured_at) AS last_at
                FROM raw_sensor_data r
                CROSS JOIN LATERAL (VALUES ('pressure_hpa', r.pressure_hpa), ('temperature_c', r.temperature_c),
                                           ('humidity_pct', r.humidity_pct), ('pm10_ugm3', r.pm10_ugm3),
                                           ('pm25_ugm3', r.pm25_ugm3)) AS q(quantity, v)
                WHERE r.file_id = ? AND q.v IS NOT NULL
                GROUP BY r.sensor_id, q.quantity
                UNION ALL
                SELECT r.sensor_id, v.quantity, count(*), min(v.value), max(v.value), avg(v.value), stddev_samp(v.value),
                       min(r.measured_at), max(r.measured_at)
                FROM reading_value v JOIN raw_sensor_data r ON r.file_id = v.file_id AND r.line_number = v.line_number
                WHERE v.file_id = ?
                GROUP BY r.sensor_id, v.quantity)
            SELECT coalesce(e.sensor_id, m.sensor_id) AS sensor_id, coalesce(e.quantity, m.quantity) AS quantity,
                   e.n, m.sample_count, e.mn, m.min_value, e.mx, m.max_value, e.mean, m.mean_value, e.sd,
                   m.stddev_value, e.first_at = m.first_measured_at AND e.last_at = m.last_measured_at AS times_equal
            FROM expected e
            FULL OUTER JOIN (SELECT * FROM aggregated_metrics WHERE file_id = ?) m
              ON m.sensor_id = e.sensor_id AND m.quantity = e.quantity
            """;

    private final DataSource dataSource;

    public MetricsCheck(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Empty when the metrics are right; otherwise one line per differing group. */
    public List<String> mismatches(long fileId) throws SQLException {
        List<String> mismatches = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(COMPARE)) {
            ps.setLong(1, fileId);
            ps.setLong(2, fileId);
            ps.setLong(3, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String group = rs.getLong("sensor_id") + "/" + rs.getString("quantity");
                    if (rs.getObject("n") == null || rs.getObject("sample_count") == null) {
                        mismatches.add(group + ": present on one side only");
                        continue;
                    }
                    if (rs.getLong("n") != rs.getLong("sample_count") || !rs.getBoolean("times_equal")) {
                        mismatches.add(group + ": count or first/last time differs");
                    }
                    compare(mismatches, group, "min", rs, "mn", "min_value");
                    compare(mismatches, group, "max", rs, "mx", "max_value");
                    compare(mismatches, group, "mean", rs, "mean", "mean_value");
                    compare(mismatches, group, "stddev", rs, "sd", "stddev_value");
                }
            }
        }
        return mismatches;
    }

    private static void compare(List<String> mismatches, String group, String what, ResultSet rs, String expectedColumn,
            String actualColumn) throws SQLException {
        Double expected = (Double) rs.getObject(expectedColumn);
        Double actual = (Double) rs.getObject(actualColumn);
        if (expected == null || actual == null) {
            if (expected != actual) {
                mismatches.add(group + " " + what + ": expected " + expected + ", was " + actual);
            }
            return;
        }
        double tolerance = 1e-9 * Math.max(Math.abs(expected), Math.abs(actual));
        if (Math.abs(expected - actual) > Math.max(tolerance, 1e-12)) {
            mismatches.add(group + " " + what + ": expected " + expected + ", was " + actual);
        }
    }
}
