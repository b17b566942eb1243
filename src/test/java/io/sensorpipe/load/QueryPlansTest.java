package io.sensorpipe.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sensorpipe.ops.OperatorViews;
import io.sensorpipe.routes.LedgerDatabase;
import io.sensorpipe.sources.Quantity;

/**
 * The three common questions, and the operator page's, over ten million readings (the application's
 * schema, its migrations applied) are answered through an index, never by reading the whole table. The plans are asserted,
 * not the time they take. The readings are laid down as loads lay them down: file after file, each
 * file's rows in time order, 2,000 sensors taking turns.
 */
class QueryPlansTest {

    private static final String FROM = "TIMESTAMPTZ '2017-03-05 10:00:00+00'";

    private static DataSource database;

    @BeforeAll
    static void tenMillionReadings() throws SQLException {
        database = LedgerDatabase.fresh();
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO sensor_site (sensor_id, location_id, lat, lon)"
                    + " SELECT 1000 + s, 5000 + s, 42 + s / 10000.0, 23 + s / 10000.0 FROM generate_series(1, 2000) s");
            st.execute("INSERT INTO reading (file_id, line_number, site_id, measured_at, temperature_c, humidity_pct)"
                    + " SELECT 1 + i / 10000, 2 + i % 10000, 1 + i % 2000,"
                    + " TIMESTAMPTZ '2017-01-01 00:00:00+00' + i * INTERVAL '10 seconds', 20 + i % 7, 50 + i % 11"
                    + " FROM generate_series(0, 9999999) i");
            st.execute("ANALYZE sensor_site");
            st.execute("ANALYZE reading");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM reading")) {
                rs.next();
                assertEquals(10_000_000, rs.getLong(1));
            }
        }
    }

    private static String plan(String query) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = database.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN " + query)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    @Test
    void oneSensorOverATimeRangeGoesThroughItsSitesAndTheTimeIndexWithTheSiteInItsCondition() throws SQLException {
        String plan = plan("SELECT * FROM raw_sensor_data WHERE sensor_id = 1042 AND measured_at >= " + FROM
                + " AND measured_at < " + FROM + " + INTERVAL '1 day'");
        assertTrue(plan.contains("reading_time_site"), plan);
        assertTrue(plan.matches("(?s).*Index Cond: \\(\\(measured_at >= .*site_id = s\\.site_id\\).*"),
                "the site is in the index condition, so no other sensor's row is fetched: " + plan);
        assertFalse(plan.contains("Seq Scan on reading"), plan);
    }

    @Test
    void allSensorsOverATimeRangeUseTheTimeIndex() throws SQLException {
        String plan = plan("SELECT * FROM raw_sensor_data WHERE measured_at >= " + FROM
                + " AND measured_at < " + FROM + " + INTERVAL '1 hour'");
        assertTrue(plan.contains("reading_time_site"), plan);
        assertFalse(plan.contains("Seq Scan on reading"), plan);
    }

    @Test
    void theOperatorPagesReadingsOfOneSensorInOneFileGoThroughTheTimeIndexWithTheSiteInItsCondition()
            throws SQLException {
        // File 17 holds readings 160,000 to 169,999: its time range, as its metrics give it.
        String first = "TIMESTAMPTZ '2017-01-01 00:00:00+00' + 160000 * INTERVAL '10 seconds'";
        String last = "TIMESTAMPTZ '2017-01-01 00:00:00+00' + 169999 * INTERVAL '10 seconds'";
        for (Quantity q : List.of(new Quantity("temperature", "C", null, 3, "temperature_c"),
                new Quantity("co", "mg/m3", null, 3, null))) {
            String[] parts = OperatorViews.readingsQuery(q).split("\\?", -1);
            String[] values = {"1042", first, last, "17", "'co'"};
            StringBuilder query = new StringBuilder(parts[0]);
            for (int i = 1; i < parts.length; i++) {
                query.append(values[i - 1]).append(parts[i]);
            }
            String plan = plan(query.toString());
            if (q.readingColumn() != null) {
                assertTrue(plan.contains("reading_time_site"), plan);
                assertTrue(plan.matches("(?s).*Index Cond: \\(\\(measured_at >= .*site_id = s\\.site_id\\).*"),
                        "the site is in the index condition: " + plan);
            } else {
                assertTrue(plan.contains("reading_value_pkey") || plan.contains("reading_time_site"), plan);
            }
            assertFalse(plan.contains("Seq Scan on reading"), plan);
        }
    }

    @Test
    void oneFilesRowsAreFoundByTheKey() throws SQLException {
        String plan = plan("SELECT * FROM raw_sensor_data WHERE file_id = 17 ORDER BY line_number");
        assertTrue(plan.contains("reading_pkey"), plan);
        assertFalse(plan.contains("Seq Scan on reading"), plan);
    }
}
