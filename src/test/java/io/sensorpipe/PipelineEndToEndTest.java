package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import com.fasterxml.jackson.databind.JsonNode;

import io.sensorpipe.testdata.Drops;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.ExpectedReadings;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.MetricsCheck;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * The whole pipeline on a real Kafka broker and a real PostgreSQL (both embedded, started by the
 * test profile), with real files dropped into the watched folder.
 */
@QuarkusTest
class PipelineEndToEndTest {

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    private static Path realFile(String name) {
        return Drops.realFile(name);
    }

    private String drop(Path source, String name) throws Exception {
        return Drops.drop(Path.of(config.dataDir()), source, name);
    }

    private Map<String, Object> awaitFinished(String name) throws SQLException {
        return new IngestFiles(dataSource).awaitFinished(name);
    }

    private long count(String sql, long fileId) throws SQLException {
        return new IngestFiles(dataSource).count(sql, fileId);
    }

    private long lines(Path file) throws Exception {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    /**
     * The checks every loaded file must pass, against expectations computed from the file's text alone:
     * its row count, every stored value, one report line per rejected row, metrics equal to SQL.
     */
    private void assertLoadedAsTheContractSays(String name, Path source, Map<String, Object> file) throws Exception {
        long id = (Long) file.get("id");
        long accepted = ExpectedReadings.of(source).size();
        long rejected = ExpectedReadings.rows(source) - accepted;
        assertEquals("LOADED", file.get("status"));
        assertEquals(ExpectedReadings.rows(source), file.get("rows_total"), "data rows in the file");
        assertEquals(accepted, file.get("rows_loaded"), "rows the contract accepts");
        assertEquals(rejected, file.get("rows_quarantined"), "rows the contract rejects");
        assertEquals(List.of(), ExpectedReadings.differences(dataSource, id, source),
                "raw_sensor_data holds each accepted row, with the values the contract gives it");
        Path quarantine = Path.of(config.quarantineDir());
        if (rejected > 0) {
            assertEquals(rejected, lines(quarantine.resolve(name + ".errors.jsonl")), "one reason line per rejected row");
            assertEquals(rejected + 1, lines(quarantine.resolve(name + ".rejected.csv")), "header + rejected rows");
        }
        List<String> mismatches = new MetricsCheck(dataSource).mismatches(id);
        assertEquals(new ArrayList<String>(), mismatches, "aggregated_metrics equals SQL over raw_sensor_data");
        assertTrue(count("SELECT count(*) FROM aggregated_metrics WHERE file_id = ?", id) > 0 || accepted == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.notExists(Path.of(config.dataDir(), name)));
    }

    @Test
    void realSensorFileWithAStuckSensorIsLoadedAndItsStuckRowsQuarantined() throws Exception {
        Path real = realFile("sofia-2017-07-bme280-sensor2040.csv");

        String name = drop(real, "sensor2040-" + System.nanoTime() + ".csv");
        Map<String, Object> file = awaitFinished(name);

        // shared/data/real/SOURCES.md: 9,762 rows, the 3,741 of the stuck sensor out of range.
        assertEquals(9_762L, file.get("rows_total"));
        assertEquals(6_021L, file.get("rows_loaded"));
        assertEquals(3_741L, file.get("rows_quarantined"));
        assertLoadedAsTheContractSays(name, real, file);
        new IngestFiles(dataSource).retire((Long) file.get("id"));
    }

    @Test
    void syntheticFileWithKnownInvalidRowsIsLoadedExactly() throws Exception {
        Path generated = Files.createTempFile(Path.of("target"), "synthetic", ".gen");
        SyntheticSensorFile.Expected expected = new SyntheticSensorFile(7, 12_000, 13, 2, 42).writeTo(generated);

        String name = drop(generated, "synthetic-" + System.nanoTime() + ".csv");
        Map<String, Object> file = awaitFinished(name);

        assertEquals(expected.rowsTotal(), file.get("rows_total"));
        assertEquals(expected.rowsInvalid(), file.get("rows_quarantined"));
        assertEquals(expected.rowsValid(), file.get("rows_loaded"));
        assertLoadedAsTheContractSays(name, generated, file);
        long id = (Long) file.get("id");
        assertEquals(7L * 3, count("SELECT count(*) FROM aggregated_metrics WHERE file_id = ?", id),
                "one metrics row per sensor and quantity");

        // The comparison itself must be able to fail: nudge one mean past the tolerance.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE aggregated_metrics SET mean_value = mean_value * (1 + 1e-8) WHERE file_id = ?"
                        + " AND quantity = 'temperature_c' AND sensor_id = 1000")) {
            ps.setLong(1, id);
            assertEquals(1, ps.executeUpdate());
        }
        assertEquals(List.of("1000/temperature_c mean"), new MetricsCheck(dataSource).mismatches(id).stream()
                .map(m -> m.substring(0, m.indexOf(':'))).toList());
    }

    @Test
    void realFileWithTwoIndexColumnsExplainsEveryRejectedRow() throws Exception {
        Path real = realFile("sofia-2017-07-bme280-first20k.csv");

        String name = drop(real, "first20k-" + System.nanoTime() + ".csv");
        Map<String, Object> file = awaitFinished(name);

        assertEquals(20_000L, file.get("rows_total"));
        assertEquals(19_910L, file.get("rows_loaded"));
        assertEquals(90L, file.get("rows_quarantined"));
        assertLoadedAsTheContractSays(name, real, file);
        Path quarantine = Path.of(config.quarantineDir());
        long rejected = 0;
        for (String line : Files.readAllLines(quarantine.resolve(name + ".errors.jsonl"))) {
            JsonNode entry = Json.MAPPER.readTree(line);
            assertTrue(entry.get("reasons").size() > 0, line);
            for (JsonNode reason : entry.get("reasons")) {
                assertTrue(reason.hasNonNull("field") && reason.hasNonNull("rule") && reason.hasNonNull("expected"),
                        line);
            }
            assertEquals(entry.get("raw").asText(), Files.readAllLines(real).get(entry.get("line").asInt() - 1),
                    "raw is the line as it is in the file");
            rejected++;
        }
        assertEquals(file.get("rows_quarantined"), rejected);
        JsonNode summary = Json.MAPPER.readTree(Files.readString(quarantine.resolve(name + ".summary.json")));
        assertEquals(20_000, summary.get("rows_loaded").asLong() + summary.get("rows_rejected").asLong());
        assertEquals(rejected, count("SELECT sum(rejections) FROM file_rejection WHERE file_id = ?",
                (Long) file.get("id")), "the database holds the same figures (one rule per rejected row here)");
        new IngestFiles(dataSource).retire((Long) file.get("id"));
    }

    @Test
    void fileQuarantinedWholeAfterSomeRowsWereLoadedLeavesNoRowsBehind() throws Exception {
        // 50,000 good rows, then 70,000 out of range: 58 % rejected, over the 50 % limit. The good rows
        // reach Kafka, and the database, while the rest of the file is still being read: the decision
        // comes at the end of the read and must take loaded rows back out (asserted below).
        Path generated = Files.createTempFile(Path.of("target"), "mostly-bad", ".gen");
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < 120_000; i++) {
            csv.append(i < 50_000 ? Csv.bme280Row(3000 + i % 5, i)
                    : "3000,1025,42.686,23.351,2017-07-02T00:00:00,117638.84,-145.12,100.0").append('\n');
        }
        Files.writeString(generated, csv);

        String bad = drop(generated, "mostly-bad-" + System.nanoTime() + ".csv");
        Map<String, Object> file = awaitFinished(bad);
        assertEquals("QUARANTINED", file.get("status"));
        assertTrue(((String) file.get("error")).contains("above the limit of 50 %"), (String) file.get("error"));

        // A file dropped afterwards is loaded only once the loader has passed the earlier rows.
        Path good = Files.createTempFile(Path.of("target"), "after", ".gen");
        new SyntheticSensorFile(5, 3_000, 0, 0, 7).writeTo(good);
        String after = drop(good, "after-" + System.nanoTime() + ".csv");
        assertLoadedAsTheContractSays(after, good, awaitFinished(after));

        long id = (Long) file.get("id");
        Path quarantine = Path.of(config.quarantineDir());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(quarantine.resolve(bad + ".error.json")));
        JsonNode report = Json.MAPPER.readTree(Files.readString(quarantine.resolve(bad + ".error.json")));
        assertTrue(report.path("rows_removed_from_database").asLong() > 0,
                "the scenario happened: rows were loaded before the decision and taken out again: " + report);
        assertEquals(0, count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", id), "no partial load");
        assertEquals(0, count("SELECT count(*) FROM aggregated_metrics WHERE file_id = ?", id));
        assertEquals(120_000L, file.get("rows_total"));
        assertEquals(120_000L, file.get("rows_quarantined"));
        assertEquals(0L, file.get("rows_loaded"));
    }

    @Test
    void everyRouteIsVisibleOverJmxUnderItsId() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<String> routeIds = new TreeSet<>();
        for (ObjectName route : server.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null)) {
            routeIds.add((String) server.getAttribute(route, "RouteId"));
        }
        assertEquals(new TreeSet<>(List.of("csv-intake", "row-validation", "row-quarantine", "file-quarantine",
                "kafka-to-jdbc-batch", "metrics-aggregator", "service-watch", "file-events", "file-status", "dead-letter",
                "data-folder-screen", "file-status-one", "http-ingest", "operator-page")),
                routeIds);
    }

    @Test
    void fileThatIsNotCsvIsQuarantinedWholeWithItsReason() throws Exception {
        Path garbage = Files.createTempFile(Path.of("target"), "garbage", ".gen");
        Files.write(garbage, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x0a, 1, 2, 3});

        String name = drop(garbage, "archive-" + System.nanoTime() + ".csv");
        Map<String, Object> file = awaitFinished(name);

        assertEquals("QUARANTINED", file.get("status"));
        assertTrue(((String) file.get("error")).startsWith("not"), (String) file.get("error"));
        Path quarantine = Path.of(config.quarantineDir());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(quarantine.resolve(name)));
        assertTrue(Files.readString(quarantine.resolve(name + ".error.json")).contains((String) file.get("error")));
        assertEquals(0, count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", (Long) file.get("id")));
    }
}
