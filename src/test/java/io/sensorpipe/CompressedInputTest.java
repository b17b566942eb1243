package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sensorpipe.testdata.Drops;
import io.sensorpipe.testdata.ExpectedReadings;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.MetricsCheck;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * {@code X.csv.gz} through the whole pipeline (real broker, real database): read as a stream, the same
 * counts, stored values and reports as the file uncompressed, its content hash that of the file as
 * dropped; a file named {@code .gz} that is not gzip, or is cut short, is quarantined whole saying so.
 */
@QuarkusTest
class CompressedInputTest {

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    private static Path gzip(Path source, Path target) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            Files.copy(source, out);
        }
        return target;
    }

    private String drop(Path source, String name) throws Exception {
        return Drops.drop(Path.of(config.dataDir()), source, name);
    }

    private void assertLoadedAsUncompressed(String name, Path compressed, Path plain) throws Exception {
        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);
        long id = (Long) file.get("id");
        long accepted = ExpectedReadings.of(plain).size();
        long rejected = ExpectedReadings.rows(plain) - accepted;
        assertEquals("LOADED", file.get("status"), String.valueOf(file));
        assertEquals(ExpectedReadings.rows(plain), file.get("rows_total"));
        assertEquals(accepted, file.get("rows_loaded"));
        assertEquals(rejected, file.get("rows_quarantined"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(compressed))),
                sha256(id), "the content hash is that of the file as dropped");
        assertEquals(List.of(), ExpectedReadings.differences(dataSource, id, plain));
        assertEquals(List.of(), new MetricsCheck(dataSource).mismatches(id));
        Path quarantine = Path.of(config.quarantineDir());
        if (rejected > 0) {
            try (var lines = Files.lines(quarantine.resolve(name + ".errors.jsonl"))) {
                assertEquals(rejected, lines.count(), "one reason line per rejected row");
            }
            try (var lines = Files.lines(quarantine.resolve(name + ".rejected.csv"))) {
                assertEquals(rejected + 1, lines.count(), "header + rejected rows, as they are in the uncompressed file");
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.notExists(Path.of(config.dataDir(), name)));
    }

    private String sha256(long fileId) throws Exception {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement("SELECT sha256 FROM ingest_file WHERE id = ?")) {
            ps.setLong(1, fileId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void aGzipCompressedRealFileLoadsAsItsUncompressedSelf() throws Exception {
        Path real = Drops.realFile("sofia-2017-07-bme280-sensor2040.csv");
        Path compressed = gzip(real, Files.createTempFile(Path.of("target"), "sensor2040", ".gz"));

        String name = drop(compressed, "sensor2040-" + System.nanoTime() + ".csv.gz");

        assertLoadedAsUncompressed(name, compressed, real);
        Map<String, Object> file = new IngestFiles(dataSource).byName(name);
        // shared/data/real/SOURCES.md: 9,762 rows, the 3,741 of the stuck sensor out of range.
        assertEquals(6_021L, file.get("rows_loaded"));
        assertEquals(3_741L, file.get("rows_quarantined"));
    }

    @Test
    void aGzipCompressedSyntheticFileWithInvalidRowsLoadsExactly() throws Exception {
        Path plain = Files.createTempFile(Path.of("target"), "synthetic-gz", ".gen");
        new SyntheticSensorFile(4, 30_000, 17, 0, 7).writeTo(plain);
        Path compressed = gzip(plain, Files.createTempFile(Path.of("target"), "synthetic", ".gz"));

        assertLoadedAsUncompressed(drop(compressed, "synthetic-" + System.nanoTime() + ".CSV.GZ"), compressed, plain);
    }

    @Test
    void aFileNamedGzThatIsNotGzipOrIsCutShortIsQuarantinedWholeSayingSo() throws Exception {
        Path plain = Files.createTempFile(Path.of("target"), "not-gzip", ".gen");
        new SyntheticSensorFile(2, 2_000, 50, 0, 8).writeTo(plain);
        String notGzip = drop(plain, "not-gzip-" + System.nanoTime() + ".csv.gz");

        Path compressed = gzip(plain, Files.createTempFile(Path.of("target"), "cut", ".gz"));
        byte[] whole = Files.readAllBytes(compressed);
        Path cut = Files.write(Files.createTempFile(Path.of("target"), "cut-short", ".gz"),
                Arrays.copyOf(whole, whole.length / 2));
        String cutShort = drop(cut, "cut-short-" + System.nanoTime() + ".csv.gz");

        IngestFiles files = new IngestFiles(dataSource);
        Map<String, Object> first = files.awaitFinished(notGzip);
        assertEquals("QUARANTINED", first.get("status"));
        assertTrue(String.valueOf(first.get("error")).startsWith("not gzip although its name ends in .gz"),
                String.valueOf(first.get("error")));
        Map<String, Object> second = files.awaitFinished(cutShort);
        assertEquals("QUARANTINED", second.get("status"));
        assertTrue(String.valueOf(second.get("error")).startsWith("not valid gzip after line "),
                String.valueOf(second.get("error")));
        assertEquals(0L, files.count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", (Long) second.get("id")),
                "none of its rows stays");
        Path quarantine = Path.of(config.quarantineDir());
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(quarantine.resolve(notGzip))
                && Files.exists(quarantine.resolve(cutShort)));
    }
}
