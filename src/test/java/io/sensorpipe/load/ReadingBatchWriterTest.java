package io.sensorpipe.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The loader's paths against the real PostgreSQL: COPY, a batch met again, a file quarantined whole. */
@QuarkusTest
class ReadingBatchWriterTest {

    @Inject
    ReadingBatchWriter writer;

    @Inject
    DataSource dataSource;

    @Inject
    CamelContext camel;

    private long file(String status) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ingest_file (file_name, sha256, size_bytes, status) VALUES (?, ?, 0, ?) RETURNING id")) {
            ps.setString(1, "writer-" + status + ".csv");
            ps.setString(2, UUID.randomUUID().toString());
            ps.setString(3, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<Exchange> records(long fileId, int fromLine, int toLine) {
        List<SensorReading> readings = new ArrayList<>();
        for (int line = fromLine; line <= toLine; line++) {
            readings.add(reading(fileId, line));
        }
        // Records of two or three readings each, as the intake's chunks (only smaller).
        List<Exchange> records = new ArrayList<>();
        for (ReadingCodec.Encoded value : ReadingCodec.encodeChunks(readings, 200)) {
            Exchange record = new DefaultExchange(camel);
            record.getMessage().setBody(value.value());
            records.add(record);
        }
        return records;
    }

    private static SensorReading reading(long fileId, int line) {
        return new SensorReading(fileId, line, "f.csv", "bme280", 7, line % 3 == 0 ? null : 1025L, 42.686 + line / 1e6,
                -23.351, Instant.parse("2017-07-01T00:00:00Z").plusSeconds(line).plusNanos(line % 2 * 500_000_000L),
                941.1234, (line % 2 == 0 ? -1 : 1) * (20.5 + line / 1000.0), line % 4 == 0 ? null : 50.0, null, 0.001,
                "raw " + line);
    }

    private long rows(long fileId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aBatchMetAgainLoadsOnlyItsNewRows() throws Exception {
        long file = file("PROCESSING");
        List<LoadedSlice> first = writer.insert(records(file, 2, 6));
        assertEquals(1, first.size());
        assertEquals(5, first.get(0).readings().size(), "all new: one COPY");

        // lines 5 and 6 again (a redelivery), 7 to 9 new
        List<LoadedSlice> again = writer.insert(records(file, 5, 9));
        assertEquals(1, again.size());
        assertEquals(List.of(7L, 8L, 9L), again.get(0).readings().stream().map(SensorReading::line).toList(),
                "only the rows not loaded before count as inserted");
        assertEquals(5, again.get(0).rowsSeen());
        assertEquals(8, rows(file), "no row twice");
        for (int line = 2; line <= 9; line++) {
            assertEquals(reading(file, line), stored(file, line), "line " + line + " as loaded");
        }
    }

    /** A row of raw_sensor_data read back as the reading it was loaded from (text fields as sent). */
    private SensorReading stored(long fileId, long line) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sensor_id, location_id, lat, lon, measured_at, pressure_hpa, temperature_c, humidity_pct,"
                        + " pm10_ugm3, pm25_ugm3 FROM raw_sensor_data WHERE file_id = ? AND line_number = ?")) {
            ps.setLong(1, fileId);
            ps.setLong(2, line);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return new SensorReading(fileId, line, "f.csv", "bme280", rs.getLong(1), rs.getObject(2, Long.class),
                        rs.getObject(3, Double.class), rs.getObject(4, Double.class),
                        rs.getObject(5, java.time.OffsetDateTime.class).toInstant(), rs.getObject(6, Double.class),
                        rs.getObject(7, Double.class), rs.getObject(8, Double.class), rs.getObject(9, Double.class),
                        rs.getObject(10, Double.class), "raw " + line);
            }
        }
    }

    @Test
    void rowsOfAFileQuarantinedWholeAreNotLoadedAndOpenNoMetrics() throws Exception {
        long quarantined = file("QUARANTINED");
        long processing = file("PROCESSING");
        List<Exchange> batch = records(quarantined, 2, 4);
        batch.addAll(records(processing, 2, 3));
        List<LoadedSlice> slices = writer.insert(batch);
        assertEquals(0, rows(quarantined));
        assertEquals(2, rows(processing));
        assertEquals(List.of(processing), slices.stream().map(LoadedSlice::fileId).toList());
        assertTrue(slices.get(0).readings().stream().allMatch(r -> r.fileId() == processing));
    }
}
