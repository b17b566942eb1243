package io.sensorpipe.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.sensorpipe.Json;
import io.sensorpipe.ops.PipelineMetrics;

/**
 * Inserts a batch of readings in one transaction with JDBC batching. A row already present (same
 * file and line) is skipped by the unique key, so a batch redelivered by Kafka never doubles a row;
 * a row of a file quarantined whole is skipped too. When PostgreSQL refuses a row's data (SQLSTATE
 * class 22 or 23, e.g. a timestamp beyond its range), the batch is rolled back and loaded again row by
 * row, each under a savepoint: the refused rows go to {@code refused_row} with the database's reason
 * and the others are loaded. Any other failure (database unreachable) is thrown for the route to retry.
 */
@ApplicationScoped
@Named("readingBatchWriter")
public class ReadingBatchWriter {

    private static final Logger LOG = Logger.getLogger(ReadingBatchWriter.class);

    /** A file quarantined whole gets no rows; the share lock orders this check with that decision. */
    private static final String FILE_NOT_QUARANTINED =
            " WHERE EXISTS (SELECT 1 FROM ingest_file WHERE id = ? AND status <> 'QUARANTINED' FOR SHARE)";

    static final String INSERT = "INSERT INTO raw_sensor_data (file_id, line_number, sensor_id, location_id, lat, lon,"
            + " measured_at, pressure_hpa, temperature_c, humidity_pct, pm10_ugm3, pm25_ugm3)"
            + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + FILE_NOT_QUARANTINED
            + " ON CONFLICT (file_id, line_number) DO NOTHING";

    static final String REFUSE = "INSERT INTO refused_row (file_id, line_number, sql_state, reason, raw)"
            + " SELECT ?, ?, ?, ?, ?" + FILE_NOT_QUARANTINED + " ON CONFLICT (file_id, line_number) DO NOTHING";

    private final DataSource dataSource;
    private final PipelineMetrics metrics;

    public ReadingBatchWriter(DataSource dataSource, PipelineMetrics metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    /** Body: the Kafka records of one poll batch. Returns, per file, what this call did with its rows. */
    public List<LoadedSlice> insert(@Body List<Exchange> records) throws SQLException, JsonProcessingException {
        List<SensorReading> readings = new ArrayList<>(records.size());
        for (Exchange record : records) {
            readings.add(Json.MAPPER.readValue(record.getMessage().getBody(String.class), SensorReading.class));
        }
        long start = System.nanoTime();
        boolean[] inserted = new boolean[readings.size()];
        boolean[] refused = new boolean[readings.size()];
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                insertBatch(c, readings, inserted);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!isRefusedData(e)) {
                    throw e;
                }
                LOG.warnf("PostgreSQL refused a row of a batch of %d (%s): loading that batch row by row",
                        readings.size(), firstLine(e));
                try {
                    insertRowByRow(c, readings, inserted, refused);
                    c.commit();
                } catch (SQLException | RuntimeException again) {
                    c.rollback();
                    throw again;
                }
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        metrics.batchLoaded(readings.size(), count(inserted), System.nanoTime() - start);
        metrics.refused(count(refused));
        return forFilesInProgress(slices(readings, inserted, refused));
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean flag : flags) {
            n += flag ? 1 : 0;
        }
        return n;
    }

    /**
     * Keeps the slices of files still {@code PROCESSING}: rows of a file already finished (delivered
     * again after a lost offset commit, or of a file quarantined whole) have nothing left to complete,
     * and would only open an aggregate that never completes.
     */
    private List<LoadedSlice> forFilesInProgress(List<LoadedSlice> slices) throws SQLException {
        if (slices.isEmpty()) {
            return slices;
        }
        Set<Long> processing = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM ingest_file WHERE id = ANY (?) AND status = 'PROCESSING'")) {
            ps.setArray(1, c.createArrayOf("bigint", slices.stream().map(LoadedSlice::fileId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    processing.add(rs.getLong(1));
                }
            }
        }
        List<LoadedSlice> kept = new ArrayList<>(slices.size());
        for (LoadedSlice slice : slices) {
            if (processing.contains(slice.fileId())) {
                kept.add(slice);
            } else {
                LOG.debugf("%d rows of finished file %d delivered again: skipped", slice.rowsSeen(), slice.fileId());
            }
        }
        return kept;
    }

    private static void insertBatch(Connection c, List<SensorReading> readings, boolean[] inserted)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (SensorReading r : readings) {
                bind(ps, r);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                // Without reWriteBatchedInserts pgjdbc reports 1 or 0 per row: 0 is a row already present.
                inserted[i] = counts[i] > 0;
            }
        }
    }

    private static void insertRowByRow(Connection c, List<SensorReading> readings, boolean[] inserted,
            boolean[] refused) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT);
                PreparedStatement refuse = c.prepareStatement(REFUSE)) {
            for (int i = 0; i < readings.size(); i++) {
                SensorReading r = readings.get(i);
                Savepoint row = c.setSavepoint();
                try {
                    bind(insert, r);
                    inserted[i] = insert.executeUpdate() > 0;
                    c.releaseSavepoint(row);
                } catch (SQLException e) {
                    c.rollback(row);
                    if (!isRefusedData(e)) {
                        throw e;
                    }
                    refuse.setLong(1, r.fileId());
                    refuse.setLong(2, r.line());
                    refuse.setString(3, e.getSQLState());
                    refuse.setString(4, firstLine(e));
                    refuse.setString(5, r.raw() == null ? "" : r.raw());
                    refuse.setLong(6, r.fileId());
                    refused[i] = refuse.executeUpdate() > 0;
                    LOG.warnf("%s line %d refused by PostgreSQL: %s", r.fileName(), r.line(), firstLine(e));
                }
            }
        }
    }

    private static List<LoadedSlice> slices(List<SensorReading> readings, boolean[] inserted, boolean[] refused) {
        Map<Long, List<SensorReading>> insertedPerFile = new LinkedHashMap<>();
        Map<Long, int[]> refusedAndSeen = new LinkedHashMap<>();
        for (int i = 0; i < readings.size(); i++) {
            SensorReading r = readings.get(i);
            List<SensorReading> rows = insertedPerFile.computeIfAbsent(r.fileId(), id -> new ArrayList<>());
            int[] counts = refusedAndSeen.computeIfAbsent(r.fileId(), id -> new int[2]);
            if (inserted[i]) {
                rows.add(r);
            }
            if (refused[i]) {
                counts[0]++;
            }
            counts[1]++;
        }
        List<LoadedSlice> slices = new ArrayList<>(insertedPerFile.size());
        insertedPerFile.forEach((fileId, rows) -> slices.add(
                new LoadedSlice(fileId, rows, refusedAndSeen.get(fileId)[0], refusedAndSeen.get(fileId)[1])));
        return slices;
    }

    /**
     * Whether PostgreSQL refused the data itself (SQLSTATE class 22, data exception, or 23, integrity
     * constraint violation), which no retry can cure, as opposed to being unreachable or overloaded.
     */
    static boolean isRefusedData(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(SQLException e) {
        SQLException x = e.getNextException() != null ? e.getNextException() : e;
        String message = String.valueOf(x.getMessage());
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
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
