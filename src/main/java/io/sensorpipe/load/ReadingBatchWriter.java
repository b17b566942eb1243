package io.sensorpipe.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.Exchange;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.sensorpipe.Json;

/**
 * Inserts a batch of readings in one transaction with JDBC batching. A row already present (same
 * file and line) is skipped by the unique key, so a batch redelivered by Kafka never doubles a row;
 * a row of a file quarantined whole is skipped too.
 */
@ApplicationScoped
@Named("readingBatchWriter")
public class ReadingBatchWriter {

    static final String INSERT = "INSERT INTO raw_sensor_data (file_id, line_number, sensor_id, location_id, lat, lon,"
            + " measured_at, pressure_hpa, temperature_c, humidity_pct, pm10_ugm3, pm25_ugm3)"
            + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
            // A file quarantined whole gets no rows; the share lock orders this check with that decision.
            + " WHERE EXISTS (SELECT 1 FROM ingest_file WHERE id = ? AND status <> 'QUARANTINED' FOR SHARE)"
            + " ON CONFLICT (file_id, line_number) DO NOTHING";

    private final DataSource dataSource;

    public ReadingBatchWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Body: the Kafka records of one poll batch. Returns, per file, the rows this call inserted. */
    public List<LoadedSlice> insert(@Body List<Exchange> records) throws SQLException, JsonProcessingException {
        List<SensorReading> readings = new ArrayList<>(records.size());
        for (Exchange record : records) {
            readings.add(Json.MAPPER.readValue(record.getMessage().getBody(String.class), SensorReading.class));
        }
        int[] counts;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (SensorReading r : readings) {
                    bind(ps, r);
                    ps.addBatch();
                }
                counts = ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        Map<Long, List<SensorReading>> inserted = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            // Without reWriteBatchedInserts pgjdbc reports 1 or 0 per row: 0 is a row already present.
            if (counts[i] > 0) {
                SensorReading r = readings.get(i);
                inserted.computeIfAbsent(r.fileId(), id -> new ArrayList<>()).add(r);
            }
        }
        List<LoadedSlice> slices = new ArrayList<>(inserted.size());
        inserted.forEach((fileId, rows) -> slices.add(new LoadedSlice(fileId, rows)));
        return slices;
    }

    private static void bind(PreparedStatement ps, SensorReading r) throws SQLException {
        ps.setLong(1, r.fileId());
        ps.setLong(2, r.line());
        ps.setLong(3, r.sensorId());
        setLong(ps, 4, r.locationId());
        setDouble(ps, 5, r.lat());
        setDouble(ps, 6, r.lon());
        ps.setObject(7, r.measuredAt().atOffset(ZoneOffset.UTC));
        setDouble(ps, 8, r.pressureHpa());
        setDouble(ps, 9, r.temperatureC());
        setDouble(ps, 10, r.humidityPct());
        setDouble(ps, 11, r.pm10Ugm3());
        setDouble(ps, 12, r.pm25Ugm3());
        ps.setLong(13, r.fileId());
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }
}
