package io.sensorpipe.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sensorpipe.routes.LedgerDatabase;

/**
 * The operator page's queries, as {@link OperatorViews} sends them, over 100,000 files (the application's
 * schema, its migrations applied) and 400,000 rows of metrics: each is answered through an index, never by
 * reading a whole table. The plans are asserted, not the time they take. The one view that reads
 * {@code reading}, a sensor's readings in a file, is asserted on ten million readings by
 * {@code QueryPlansTest}.
 */
class OperatorViewsPlansTest {

    private static DataSource database;

    @BeforeAll
    static void aHundredThousandFiles() throws SQLException {
        database = LedgerDatabase.fresh();
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            // Newest last, as they arrive: one in 20 quarantined, none since the first 20,000 (a status last seen
            // long ago: walking the newest files back would read nearly all of them), the last 50 still in
            // progress; three sources, the third only among the first 10,000.
            st.execute("INSERT INTO ingest_file (file_name, sha256, content_sha256, size_bytes, status, source,"
                    + " rows_total, rows_loaded, rows_quarantined, received_at, completed_at)"
                    + " SELECT 'f' || i || '.csv', md5(i::text) || md5(i::text), md5(i::text) || md5(i::text), 1000,"
                    + " CASE WHEN i > 99950 THEN 'PROCESSING' WHEN i % 20 = 0 AND i < 20000 THEN 'QUARANTINED'"
                    + " ELSE 'LOADED' END,"
                    + " CASE WHEN i < 10000 AND i % 3 = 0 THEN 'it-station-export'"
                    + " ELSE (ARRAY['sofia-bme280', 'sofia-particulate'])[1 + i % 2] END,"
                    + " CASE WHEN i > 99950 THEN NULL ELSE 100 END, CASE WHEN i > 99950 THEN NULL ELSE 90 END,"
                    + " CASE WHEN i > 99950 THEN NULL ELSE 10 END,"
                    + " now() - (100000 - i) * INTERVAL '1 minute',"
                    + " CASE WHEN i > 99950 THEN NULL ELSE now() - (100000 - i) * INTERVAL '1 minute' + INTERVAL '5 seconds' END"
                    + " FROM generate_series(1, 100000) i");
            st.execute("INSERT INTO file_rejection (file_id, field, rule, rejections)"
                    + " SELECT id, f, 'range', 5 FROM ingest_file, unnest(ARRAY['temperature', 'humidity']) f");
            st.execute("INSERT INTO aggregated_metrics (file_id, sensor_id, quantity, sample_count, min_value, max_value,"
                    + " mean_value, first_measured_at, last_measured_at)"
                    + " SELECT id, 1000 + (id * 2 + s) % 500, q, 45, 1, 3, 2, received_at, completed_at"
                    + " FROM ingest_file, generate_series(0, 1) s, unnest(ARRAY['temperature_c', 'humidity_pct']) q"
                    + " WHERE status = 'LOADED'");
            for (String table : List.of("ingest_file", "file_rejection", "aggregated_metrics")) {
                st.execute("ANALYZE " + table);
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ingest_file")) {
                rs.next();
                assertEquals(100_000, rs.getLong(1));
            }
        }
    }

    /** The plan of the query as the page sends it: its {@code ?} become parameters of a prepared statement. */
    private static String plan(String sql, Object... values) throws SQLException {
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            numbered.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
        }
        List<String> literals = new ArrayList<>();
        for (Object v : values) {
            literals.add(v instanceof String s ? "'" + s.replace("'", "''") + "'" : String.valueOf(v));
        }
        StringBuilder plan = new StringBuilder();
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            st.execute("PREPARE page_query AS " + numbered);
            try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE page_query" + (literals.isEmpty() ? ""
                    : "(" + String.join(", ", literals) + ")"))) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            } finally {
                st.execute("DEALLOCATE page_query");
            }
        }
        return plan.toString();
    }

    private static String filesPlan(String status, String source, Long before) throws SQLException {
        List<Object> values = new ArrayList<>();
        String sql = OperatorViews.filesQuery(status, source, before, values);
        values.add(OperatorViews.DEFAULT_PAGE + 1);
        return plan(sql, values.toArray());
    }

    @Test
    void theNewestFilesAreReadBackwardsFromTheKeyOnEveryPage() throws SQLException {
        for (Long before : new Long[] {null, 50_000L, 120L}) {
            String plan = filesPlan(null, null, before);
            assertTrue(plan.contains("Index Scan Backward using ingest_file_pkey"), plan);
            assertFalse(plan.contains("Seq Scan"), plan);
        }
    }

    @Test
    void filesOfAStatusOrASourceAreFoundByTheirIndexAPageAtATime() throws SQLException {
        // The newest page and one deep in: read from the filter's own index in order, never the newest files
        // walked back and filtered (the last quarantined file is 80,000 files back).
        for (Long before : new Long[] {null, 50_000L}) {
            String quarantined = filesPlan("QUARANTINED", null, before);
            assertTrue(quarantined.contains("ingest_file_status_id"), quarantined);
            assertFalse(quarantined.contains("Seq Scan") || quarantined.contains("Sort"), quarantined);
            String source = filesPlan(null, "it-station-export", before);
            assertTrue(source.contains("ingest_file_source_id"), source);
            assertFalse(source.contains("Seq Scan") || source.contains("Sort"), source);
            String both = filesPlan("QUARANTINED", "it-station-export", before);
            assertTrue(both.contains("ingest_file_status_id"), both);
            assertFalse(both.contains("Seq Scan"), both);
        }
        // The last page: any index will do (fewer than 120 files are older), never the whole table.
        for (String plan : List.of(filesPlan("QUARANTINED", null, 120L), filesPlan(null, "it-station-export", 120L))) {
            assertTrue(plan.contains("Index Scan"), plan);
            assertFalse(plan.contains("Seq Scan"), plan);
        }
    }

    @Test
    void oneFileItsRejectionsAndItsSensorsAreFoundByTheirKeys() throws SQLException {
        String file = plan(OperatorViews.ONE_FILE, 4242L);
        assertTrue(file.contains("ingest_file_pkey"), file);
        String rejections = plan(OperatorViews.REJECTIONS, 4242L);
        assertTrue(rejections.contains("file_rejection_pkey"), rejections);
        String sensors = plan(OperatorViews.SENSORS, 4242L);
        assertTrue(sensors.contains("aggregated_metrics_pkey"), sensors);
        for (String plan : List.of(file, rejections, sensors)) {
            assertFalse(plan.contains("Seq Scan"), plan);
        }
    }

    @Test
    void theThroughputOfTheLastMinutesReadsOnlyThoseFiles() throws SQLException {
        String plan = plan(OperatorViews.THROUGHPUT);
        assertTrue(plan.contains("ingest_file_completed_at"), plan);
        assertFalse(plan.contains("Seq Scan"), plan);
    }

    @Test
    void aSensorsQuantityOverTimeIsReadFromItsIndexNewestFirst() throws SQLException {
        String plan = plan(OperatorViews.SERIES, 1042L, "temperature_c");
        assertTrue(plan.contains("aggregated_metrics_sensor_quantity"), plan);
        assertFalse(plan.contains("Seq Scan"), plan);
    }
}
