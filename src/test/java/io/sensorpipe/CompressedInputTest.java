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
        assertEquals(hex(Files.readAllBytes(compressed)), hash("sha256", id), "sha256: the file as dropped");
        assertEquals(hex(Files.readAllBytes(plain)), hash("content_sha256", id), "content_sha256: what it unpacks to");
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

    private static String hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private String hash(String column, long fileId) throws Exception {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "SELECT " + column + " FROM ingest_file WHERE id = ?")) {
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
        new IngestFiles(dataSource).retire((Long) file.get("id"));
    }

    @Test
    void aGzipCompressedSyntheticFileWithInvalidRowsLoadsExactly() throws Exception {
        Path plain = Files.createTempFile(Path.of("target"), "synthetic-gz", ".gen");
        new SyntheticSensorFile(4, 30_000, 17, 0, 7).writeTo(plain);
        Path compressed = gzip(plain, Files.createTempFile(Path.of("target"), "synthetic", ".gz"));

        assertLoadedAsUncompressed(drop(compressed, "synthetic-" + System.nanoTime() + ".CSV.GZ"), compressed, plain);
    }

    /**
     * Exactly-once goes by the content after decompression: {@code x.csv} and then {@code x.csv.gz} of the
     * same rows (and the other way round) are one content; the second is a DUPLICATE and loads nothing.
     */
    @Test
    void aFileAndItsGzipAreOneContentWhicheverComesFirst() throws Exception {
        IngestFiles files = new IngestFiles(dataSource);
        for (boolean gzipFirst : new boolean[] {false, true}) {
            Path plain = Files.createTempFile(Path.of("target"), "one-content", ".gen");
            new SyntheticSensorFile(3, 1_500, 40, 0, System.nanoTime()).writeTo(plain);
            Path compressed = gzip(plain, Files.createTempFile(Path.of("target"), "one-content", ".gz"));
            String stem = "one-content-" + System.nanoTime();
            String first = gzipFirst ? drop(compressed, stem + ".csv.gz") : drop(plain, stem + ".csv");
            Map<String, Object> loaded = files.awaitFinished(first);
            assertEquals("LOADED", loaded.get("status"), String.valueOf(loaded));
            long accepted = ExpectedReadings.of(plain).size();
            assertEquals(accepted, loaded.get("rows_loaded"));

            String second = gzipFirst ? drop(plain, stem + ".csv") : drop(compressed, stem + ".csv.gz");
            Map<String, Object> duplicate = files.awaitFinished(second);
            assertEquals("DUPLICATE", duplicate.get("status"), second + ": " + duplicate);
            assertEquals(loaded.get("id"), files.byName(second).get("duplicate_of"));
            assertEquals(0L, files.count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", (Long) duplicate.get("id")));
            assertEquals(accepted, files.count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", (Long) loaded.get("id")),
                    "every row once");
            assertEquals(hash("content_sha256", (Long) loaded.get("id")), hash("content_sha256", (Long) duplicate.get("id")));
            assertEquals(hex(Files.readAllBytes(plain)), hash("content_sha256", (Long) duplicate.get("id")));
        }
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
