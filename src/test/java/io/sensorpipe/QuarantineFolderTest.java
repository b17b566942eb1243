package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.Readiness;
import io.sensorpipe.testdata.MetricsCheck;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * The quarantine folder replaced by a regular file while a file with rejected rows is read, then put
 * back: no rejected row loses its reasons, the file waits PROCESSING meanwhile and completes by itself,
 * and readiness says why it went DOWN.
 */
@QuarkusTest
class QuarantineFolderTest {

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    private Readiness readiness() {
        return new Readiness(ready);
    }

    @Test
    void aQuarantineFolderReplacedMidFileHoldsTheFileUntilItIsBackAndNoReasonIsLost() throws Exception {
        Path quarantine = Path.of(config.quarantineDir());
        Path generated = Files.createTempFile(Path.of("target"), "folder-away", ".gen");
        SyntheticSensorFile.Expected expected = new SyntheticSensorFile(6, 300_000, 50, 0, System.nanoTime()).writeTo(generated);
        String name = "folder-away-" + UUID.randomUUID() + ".csv";
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        Files.copy(generated, dataDir.resolve(name + ".part"));
        Files.move(dataDir.resolve(name + ".part"), dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);

        // Mid-file: the first rejected rows are written, the file is not finished.
        Path errors = quarantine.resolve(name + ".errors.jsonl");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(5)).until(() -> Files.exists(errors));
        Path away = quarantine.resolveSibling("quarantine-away-" + UUID.randomUUID());
        Files.move(quarantine, away);
        Files.writeString(quarantine, "not a folder");
        IngestFiles files = new IngestFiles(dataSource);
        assertEquals("PROCESSING", files.byName(name).get("status"), "the folder went away mid-file");

        await().atMost(Duration.ofSeconds(30)).until(() -> "DOWN".equals(readiness().status()));
        JsonNode down = readiness().data();
        assertTrue(down.path("folders").asText().contains("not a directory"), down.toString());
        // The read meets the missing reports when it ends, and is retried meanwhile.
        await().atMost(Duration.ofMinutes(2)).until(() -> readiness().data().path("retrying").asText()
                .contains("csv-intake"));
        assertEquals("PROCESSING", files.byName(name).get("status"), "nothing is finished without its reports");
        assertTrue(Files.exists(dataDir.resolve(name)), "the file stays in data/");

        Files.delete(quarantine);
        Files.move(away, quarantine);

        Map<String, Object> file = files.awaitFinished(name);
        assertEquals("LOADED", file.get("status"));
        assertEquals(expected.rowsInvalid(), file.get("rows_quarantined"));
        assertEquals(expected.rowsValid(), file.get("rows_loaded"));
        long id = (Long) file.get("id");
        assertEquals(expected.rowsValid(), files.count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", id));
        assertEquals(List.of(), new MetricsCheck(dataSource).mismatches(id));

        // Every rejected row in its reports exactly once: lines 51, 101, ... (every 50th data row).
        TreeSet<Long> expectedLines = new TreeSet<>();
        for (long row = 49; row < 300_000; row += 50) {
            expectedLines.add(row + 2);
        }
        List<String> reasons = Files.readAllLines(errors);
        TreeSet<Long> reported = new TreeSet<>();
        for (String line : reasons) {
            assertTrue(reported.add(Json.MAPPER.readTree(line).get("line").asLong()), "reported twice: " + line);
        }
        assertEquals(expectedLines, reported);
        assertEquals(expected.rowsInvalid() + 1, Files.readAllLines(quarantine.resolve(name + ".rejected.csv")).size());

        await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(readiness().status()));
        assertEquals("writable", readiness().data().path("folders").asText());
    }

    @Test
    void aDoneFolderReplacedByAFileMidLoadHoldsTheFileProcessingUntilItIsBack() throws Exception {
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        Path done = Files.createDirectories(dataDir.resolve(".done"));
        Path generated = Files.createTempFile(Path.of("target"), "done-away", ".gen");
        SyntheticSensorFile.Expected expected = new SyntheticSensorFile(6, 200_000, 0, 0, System.nanoTime())
                .writeTo(generated);
        String name = "done-away-" + UUID.randomUUID() + ".csv";
        Files.move(generated, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        IngestFiles files = new IngestFiles(dataSource);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(5)).until(() -> files.byName(name) != null);

        Path away = dataDir.resolveSibling("done-away-" + UUID.randomUUID());
        Files.move(done, away);
        Files.writeString(done, "not a folder");
        assertEquals("PROCESSING", files.byName(name).get("status"), "the folder went away mid-load");
        await().atMost(Duration.ofSeconds(30)).until(() -> "DOWN".equals(readiness().status()));
        assertTrue(readiness().data().path("folders").asText().contains("done=not a directory"),
                readiness().data().toString());
        // Every row is in; completing the file waits for the folder.
        await().atMost(Duration.ofMinutes(2)).until(() -> readiness().data().path("retrying").asText()
                .contains("metrics-aggregator"));
        assertEquals("PROCESSING", files.byName(name).get("status"), "not LOADED while it cannot leave data/");
        assertTrue(Files.exists(dataDir.resolve(name)));

        Files.delete(done);
        Files.move(away, done);
        Map<String, Object> file = files.awaitFinished(name);
        assertEquals("LOADED", file.get("status"));
        assertEquals(expected.rowsValid(), file.get("rows_loaded"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.notExists(dataDir.resolve(name)));
        assertTrue(Files.exists(done.resolve(file.get("id") + "-" + name)));
        await().atMost(Duration.ofSeconds(30)).until(() -> "UP".equals(readiness().status()));
    }
}
