package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.MetricsCheck;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * Identity by content and rows the database refuses, on the real broker and database: the same
 * content is never loaded twice, whatever its name, and one refused row costs only itself.
 */
@QuarkusTest
class ExactlyOnceTest {

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    private IngestFiles files() {
        return new IngestFiles(dataSource);
    }

    private Path drop(Path source, String name) throws Exception {
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        Path staged = dataDir.resolve(name + ".part");
        Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(staged, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** A generated file and the rows its generator knows to be valid. */
    private record Generated(Path file, long rowsValid) {
    }

    private Generated synthetic(long rows) throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "exactly-once", ".gen");
        return new Generated(file, new SyntheticSensorFile(7, rows, 40, 0, System.nanoTime()).writeTo(file).rowsValid());
    }

    private long loadedRows(long fileId) throws Exception {
        return files().count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", fileId);
    }

    private long metricRows(long fileId) throws Exception {
        return files().count("SELECT count(*) FROM aggregated_metrics WHERE file_id = ?", fileId);
    }

    /** Waits for the DUPLICATE row of a drop, identified by its name and the file it duplicates. */
    private long awaitDuplicate(String name, long originalId) throws Exception {
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            try (var c = dataSource.getConnection(); var ps = c.prepareStatement("SELECT count(*) FROM ingest_file"
                    + " WHERE status = 'DUPLICATE' AND file_name = ? AND duplicate_of = ?")) {
                ps.setString(1, name);
                ps.setLong(2, originalId);
                try (var rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(1) == 1;
                }
            }
        });
        return files().count("SELECT id FROM ingest_file WHERE status = 'DUPLICATE' AND duplicate_of = ?"
                + " ORDER BY id DESC LIMIT 1", originalId);
    }

    @Test
    void sameContentDroppedAgainOrRenamedIsRecordedAsADuplicateAndNothingIsLoadedTwice() throws Exception {
        Generated generated = synthetic(3_000);
        Path content = generated.file();
        String name = "twice-" + System.nanoTime() + ".csv";
        drop(content, name);
        Map<String, Object> first = files().awaitFinished(name);
        assertEquals("LOADED", first.get("status"));
        long id = (Long) first.get("id");
        long rows = generated.rowsValid();
        long metrics = metricRows(id);
        assertEquals(rows, first.get("rows_loaded"), "the rows the generator made valid");
        assertEquals(rows, loadedRows(id));
        assertEquals(7L * 3, metrics, "one metrics row per sensor and quantity");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.notExists(Path.of(config.dataDir(), name)));

        drop(content, name);
        long again = awaitDuplicate(name, id);
        String renamed = "renamed-" + System.nanoTime() + ".csv";
        drop(content, renamed);
        long renamedId = awaitDuplicate(renamed, id);

        assertEquals(rows, files().count("SELECT count(*) FROM raw_sensor_data r JOIN ingest_file f ON f.id = r.file_id"
                + " WHERE f.sha256 = (SELECT sha256 FROM ingest_file WHERE id = ?)", id),
                "the content's rows are loaded once, under the first file id");
        assertEquals(metrics, files().count("SELECT count(*) FROM aggregated_metrics m JOIN ingest_file f"
                + " ON f.id = m.file_id WHERE f.sha256 = (SELECT sha256 FROM ingest_file WHERE id = ?)", id),
                "and its metrics once");
        Path done = Path.of(config.dataDir(), ".done");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(done.resolve(again + "-" + name))
                && Files.exists(done.resolve(renamedId + "-" + renamed)));
        assertFalse(Files.exists(Path.of(config.dataDir(), name)), "the duplicate left the data folder");
        assertFalse(Files.exists(Path.of(config.dataDir(), renamed)));
    }

    @Test
    void sameContentUnderTwoNamesAtOnceIsLoadedOnce() throws Exception {
        Generated generated = synthetic(20_000);
        Path content = generated.file();
        String a = "at-once-a-" + System.nanoTime() + ".csv";
        String b = "at-once-b-" + System.nanoTime() + ".csv";
        drop(content, a);
        drop(content, b);

        Map<String, Object> fileA = files().awaitFinished(a);
        Map<String, Object> fileB = files().awaitFinished(b);
        Map<String, Object> loaded = "LOADED".equals(fileA.get("status")) ? fileA : fileB;
        Map<String, Object> duplicate = loaded == fileA ? fileB : fileA;
        assertEquals("LOADED", loaded.get("status"));
        assertEquals("DUPLICATE", duplicate.get("status"));
        assertEquals(loaded.get("id"), duplicate.get("duplicate_of"));
        assertEquals(generated.rowsValid(), loaded.get("rows_loaded"), "the rows the generator made valid");
        assertEquals(generated.rowsValid(), loadedRows((Long) loaded.get("id")));
        assertEquals(0, loadedRows((Long) duplicate.get("id")));
        assertEquals(List.of(), new MetricsCheck(dataSource).mismatches((Long) loaded.get("id")));
    }

    @Test
    void rowThePostgresqlRefusesIsQuarantinedWithTheDatabaseReasonAndTheRestOfItsBatchIsLoaded() throws Exception {
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        long salt = System.nanoTime() % 1000;
        for (int i = 0; i < 60; i++) {
            if (i == 25) {
                // Valid by the rules (an ISO timestamp), beyond the range of PostgreSQL's timestamptz.
                csv.append("2040,1025,42.686,23.351,+300000-07-01T00:00:00,94000.25,20.5,50.0\n");
            } else {
                csv.append(Csv.bme280Row(3000 + salt, i)).append('\n');
            }
        }
        Path source = Files.createTempFile(Path.of("target"), "refused", ".gen");
        Files.writeString(source, csv);
        String name = "refused-" + System.nanoTime() + ".csv";
        drop(source, name);

        Map<String, Object> file = files().awaitFinished(name);
        long id = (Long) file.get("id");
        assertEquals("LOADED", file.get("status"));
        assertEquals(60L, file.get("rows_total"));
        assertEquals(59L, file.get("rows_loaded"));
        assertEquals(1L, file.get("rows_quarantined"));
        assertEquals(59, loadedRows(id), "the other rows of the batch are loaded");
        assertEquals(1, files().count("SELECT rejections FROM file_rejection WHERE file_id = ? AND field = 'row'"
                + " AND rule = 'database'", id));
        assertEquals(List.of(), new MetricsCheck(dataSource).mismatches(id));

        Path quarantine = Path.of(config.quarantineDir());
        List<String> errors = Files.readAllLines(quarantine.resolve(name + ".errors.jsonl"));
        assertEquals(1, errors.size());
        JsonNode entry = Json.MAPPER.readTree(errors.get(0));
        assertEquals(27, entry.get("line").asInt(), "header is line 1, the 26th row line 27");
        assertEquals("2040,1025,42.686,23.351,+300000-07-01T00:00:00,94000.25,20.5,50.0", entry.get("raw").asText());
        JsonNode reason = entry.get("reasons").get(0);
        assertEquals("database", reason.get("rule").asText());
        assertTrue(reason.get("message").asText().contains("out of range"), reason.toString());
        assertTrue(reason.get("actual").asText().startsWith("SQLSTATE 22"), reason.toString());
        // A cell starting with "+" that is not a number is escaped for spreadsheets (docs/security.md).
        assertEquals(List.of(Csv.BME280_HEADER, "2040,1025,42.686,23.351,'+300000-07-01T00:00:00,94000.25,20.5,50.0"),
                Files.readAllLines(quarantine.resolve(name + ".rejected.csv")));
        JsonNode summary = Json.MAPPER.readTree(Files.readString(quarantine.resolve(name + ".summary.json")));
        assertEquals(59, summary.get("rows_loaded").asInt());
        assertEquals(1, summary.get("rows_quarantined").asInt());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(config.dataDir(), ".done",
                id + "-" + name)));
    }
}
