package io.sensorpipe.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.sensorpipe.routes.LedgerDatabase;

/**
 * V9 on a database that already holds readings: every row of the former {@code raw_sensor_data}
 * table reads back the same through the view, each placement becomes one {@code sensor_site} row
 * (NULLs compared equal, a sensor that moved getting two), and loads go on after it.
 */
class SensorSiteMigrationTest {

    private static final String ROWS = "SELECT file_id, line_number, sensor_id, location_id, lat, lon, measured_at,"
            + " pressure_hpa, temperature_c, humidity_pct, pm10_ugm3, pm25_ugm3 FROM raw_sensor_data"
            + " ORDER BY file_id, line_number";

    private static Flyway flyway(DataSource database, String target) {
        return Flyway.configure().dataSource(database).locations("classpath:db/migration").target(target).load();
    }

    private static List<String> rows(DataSource database, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    @Test
    void readingsLoadedBeforeTheMigrationReadTheSameAfterIt() throws SQLException {
        DataSource database = LedgerDatabase.empty();
        flyway(database, "8").migrate();
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO ingest_file (id, file_name, sha256, size_bytes, status)"
                    + " VALUES (1, 'a.csv', repeat('a', 64), 10, 'PROCESSING'), (2, 'b.csv', repeat('b', 64), 10, 'PROCESSING')");
            st.execute("INSERT INTO raw_sensor_data VALUES"
                    + " (1, 2, 2040, 1025, 42.686, 23.351, '2017-07-01T00:00:01Z', 941.1235, 21.5, 51.25, NULL, NULL),"
                    + " (1, 3, 2040, 1025, 42.686, 23.351, '2017-07-01T00:01:01Z', 941.2, 21.4, 51, NULL, NULL),"
                    + " (1, 4, 2041, NULL, NULL, NULL, '2017-07-01T00:01:01Z', NULL, NULL, NULL, 5.5, 3.25),"
                    + " (2, 2, 2041, NULL, NULL, NULL, '2017-08-01T00:00:00Z', NULL, NULL, NULL, 6, 3),"
                    + " (2, 3, 2040, 1026, 42.7, 23.36, '2017-08-01T00:00:00Z', 940, 20, 50, NULL, NULL)");
        }
        List<String> before = rows(database, ROWS);

        flyway(database, "latest").migrate();

        assertEquals(before, rows(database, ROWS), "every row reads back the same through the view");
        assertEquals(List.of("2040|1025|42.686|23.351", "2040|1026|42.7|23.36", "2041|null|null|null"),
                rows(database, "SELECT sensor_id, location_id, lat, lon FROM sensor_site ORDER BY sensor_id, location_id"),
                "one site per placement: NULLs equal, the sensor that moved has two");
        assertEquals(List.of("5"), rows(database, "SELECT count(*) FROM reading"));
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO reading (file_id, line_number, site_id, measured_at, temperature_c)"
                    + " SELECT 2, 4, site_id, '2017-08-01T00:01:00Z', 19 FROM sensor_site WHERE location_id = 1026");
        }
        assertEquals(List.of("2|4|2040|1026|19"), rows(database, "SELECT file_id, line_number, sensor_id, location_id,"
                + " temperature_c FROM raw_sensor_data WHERE file_id = 2 AND line_number = 4"), "loads go on after it");
    }
}
