package io.sensorpipe.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.sensorpipe.records.DeadLetterReason;
import io.sensorpipe.records.LoadedSlice;
import io.sensorpipe.records.ReadingCodec;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.testdata.Values;

/**
 * The loader's paths against the real PostgreSQL: COPY, a batch met again, a file quarantined whole,
 * records that can never be loaded.
 */
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
            ps.setString(1, "f.csv"); // the name its chunks carry (reading below), as the intake records it
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
        for (ReadingCodec.Encoded value : ReadingCodec.encodeChunks(readings, Values.SHIPPED, 200)) {
            records.add(record(value.value().getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    private static final AtomicLong OFFSETS = new AtomicLong();

    /** A consumed record as the Kafka consumer hands it over: its value's bytes, topic, partition and offset. */
    private Exchange record(byte[] value) {
        Exchange record = new DefaultExchange(camel);
        record.getMessage().setBody(value);
        record.getMessage().setHeader(KafkaConstants.TOPIC, "writer-test");
        record.getMessage().setHeader(KafkaConstants.PARTITION, 0);
        record.getMessage().setHeader(KafkaConstants.OFFSET, OFFSETS.incrementAndGet());
        return record;
    }

    private String status(long fileId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT status, error FROM ingest_file WHERE id = ?")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1) + ": " + rs.getString(2);
            }
        }
    }

    @Test
    void recordsThatCanNeverBeLoadedAreSetAsideAndTheirFilesQuarantinedWhileTheRestLoads() throws Exception {
        long good = file("PROCESSING");
        long poisoned = file("PROCESSING");
        writer.insert(records(poisoned, 2, 4));
        assertEquals(3, rows(poisoned), "rows of the file loaded before its bad record arrives");

        String chunk = new String(records(poisoned, 5, 6).get(0).getMessage().getBody(byte[].class),
                StandardCharsets.UTF_8);
        List<Exchange> batch = new ArrayList<>(records(good, 2, 3));
        Exchange truncated = record(chunk.substring(0, chunk.length() - 3).getBytes(StandardCharsets.UTF_8));
        batch.add(truncated);
        Exchange notOurs = record("this is not a reading".getBytes(StandardCharsets.UTF_8));
        batch.add(notOurs);
        Exchange json = record("{\"sensor_id\": 1}".getBytes(StandardCharsets.UTF_8));
        batch.add(json);
        Exchange notUtf8 = record(new byte[] {'#', (byte) 0xC3, (byte) 0x28});
        batch.add(notUtf8);
        Exchange unknownFile = records(999_999_999_999L, 2, 2).get(0);
        batch.add(unknownFile);
        batch.addAll(records(good, 4, 5));

        LoadOutcome outcome = writer.insert(batch);

        assertEquals(4, rows(good), "every row of the good file is loaded");
        assertEquals(0, rows(poisoned), "the poisoned file keeps none of its rows");
        assertTrue(status(poisoned).startsWith("QUARANTINED: record writer-test-0@" + truncated.getMessage()
                .getHeader(KafkaConstants.OFFSET) + " of this file was dead-lettered (malformed: "), status(poisoned));
        assertEquals(Set.of(poisoned), outcome.quarantined());
        Map<Exchange, DeadLetterReason> reasons = new java.util.HashMap<>();
        outcome.deadLetters().forEach(letter -> reasons.put(letter.record(), letter.reason()));
        assertEquals(Map.of(truncated, DeadLetterReason.MALFORMED, notOurs, DeadLetterReason.NOT_OUR_FORMAT,
                json, DeadLetterReason.NOT_OUR_FORMAT, notUtf8, DeadLetterReason.BAD_ENCODING, unknownFile,
                DeadLetterReason.UNKNOWN_FILE), reasons);
        assertEquals(List.of(good), outcome.slices().stream().map(LoadedSlice::fileId).toList(),
                "no slice of the poisoned file reaches the metrics");
        assertEquals(2, outcome.forAggregates().size(), "the good file's slice, and word that the other will not complete");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM dead_letter WHERE source_topic = 'writer-test' AND source_offset = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", outcome.deadLetters().stream().map(DeadLetter::offset).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(5, rs.getLong(1), "each dead letter recorded with the batch");
            }
        }
    }

    private static SensorReading reading(long fileId, int line) {
        return new SensorReading(fileId, line, "f.csv", "bme280", 7, line % 3 == 0 ? null : 1025L, 42.686 + line / 1e6,
                -23.351, Instant.parse("2017-07-01T00:00:00Z").plusSeconds(line).plusNanos(line % 2 * 500_000_000L), Values.of("pressure", 941.1234, "temperature", (line % 2 == 0 ? -1 : 1) * (20.5 + line / 1000.0), "humidity", line % 4 == 0 ? null : 50.0, "pm25", 0.001),
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
        List<LoadedSlice> first = writer.insert(records(file, 2, 6)).slices();
        assertEquals(1, first.size());
        assertEquals(5, first.get(0).readings().size(), "all new: one COPY");

        // lines 5 and 6 again (a redelivery), 7 to 9 new
        List<LoadedSlice> again = writer.insert(records(file, 5, 9)).slices();
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
                        rs.getObject(5, java.time.OffsetDateTime.class).toInstant(), Values.of("pressure", rs.getObject(6, Double.class), "temperature", rs.getObject(7, Double.class), "humidity", rs.getObject(8, Double.class), "pm10", rs.getObject(9, Double.class), "pm25", rs.getObject(10, Double.class)), "raw " + line);
            }
        }
    }

    @Test
    void rowsOfAFileQuarantinedWholeAreNotLoadedAndOpenNoMetrics() throws Exception {
        long quarantined = file("QUARANTINED");
        long processing = file("PROCESSING");
        List<Exchange> batch = records(quarantined, 2, 4);
        batch.addAll(records(processing, 2, 3));
        List<LoadedSlice> slices = writer.insert(batch).slices();
        assertEquals(0, rows(quarantined));
        assertEquals(2, rows(processing));
        assertEquals(List.of(processing), slices.stream().map(LoadedSlice::fileId).toList());
        assertTrue(slices.get(0).readings().stream().allMatch(r -> r.fileId() == processing));
    }
}
