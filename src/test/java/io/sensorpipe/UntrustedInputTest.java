package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.Drops;
import io.sensorpipe.testdata.HostileFiles;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * What someone who can drop files into data/ (or write to the readings topic) can make the pipeline
 * do, against the real pipeline, broker and database: write nowhere but its own reports, read nothing
 * but plain files of the data folder, stay within its bounds of disk and memory, and blame no file
 * for a record that does not prove it is that file's.
 */
@QuarkusTest
class UntrustedInputTest {

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/status")
    URI status;

    private Path dataDir() throws IOException {
        return Files.createDirectories(Path.of(config.dataDir()));
    }

    private Path quarantine() {
        return Path.of(config.quarantineDir());
    }

    /** Writes {@code content} outside the data folder and moves it in under {@code name} in one step. */
    private void dropText(String name, String content) throws IOException {
        Path staged = Files.createTempFile(Path.of("target"), "untrusted", ".gen");
        Files.writeString(staged, content);
        Files.move(staged, dataDir().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private Path outsideFile(String content) throws IOException {
        Path outside = Files.createDirectories(Path.of("target", "outside-" + UUID.randomUUID())).toAbsolutePath();
        Path target = outside.resolve("target.txt");
        Files.writeString(target, content);
        return target;
    }

    private long readingsOf(long sensor) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM raw_sensor_data WHERE sensor_id = ?")) {
            ps.setLong(1, sensor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String statusBody() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(status + "?limit=500")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aLinkNamedLikeAReportIsSkippedIntoAHiddenFolderAndNoReportIsWrittenThroughIt() throws Exception {
        String salt = UUID.randomUUID().toString();
        Path target = outsideFile("precious, not the pipeline's\n");
        String victim = "victim-" + salt + ".csv";
        Files.createSymbolicLink(dataDir().resolve(victim + ".rejected.csv"), target);
        IngestFiles files = new IngestFiles(dataSource);
        Map<String, Object> skipped = files.awaitFinished(victim + ".rejected.csv");
        assertEquals("SKIPPED", skipped.get("status"));

        dropText(victim, HostileFiles.rows(5101, 3) + HostileFiles.rejectedRow(5101, 3) + "\n");
        Map<String, Object> file = files.awaitFinished(victim);
        assertEquals("LOADED", file.get("status"));
        assertEquals(1L, file.get("rows_quarantined"));

        assertEquals("precious, not the pipeline's\n", Files.readString(target), "the link's target is untouched");
        Path report = quarantine().resolve(victim + ".rejected.csv");
        assertTrue(Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS), "the report is a file of its own");
        assertEquals(List.of(Csv.BME280_HEADER, HostileFiles.rejectedRow(5101, 3)), Files.readAllLines(report));
        Path moved = quarantine().resolve(".skipped").resolve(victim + ".rejected.csv");
        assertTrue(Files.isSymbolicLink(moved), "the link waits in quarantine/.skipped, unopened");
        assertFalse(Files.exists(dataDir().resolve(victim + ".rejected.csv"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aLinkStandingInTheQuarantineFolderIsNeverWrittenThrough() throws Exception {
        String salt = UUID.randomUUID().toString();
        Path target = outsideFile("precious\n");
        String name = "planted-" + salt + ".csv";
        Files.createDirectories(quarantine());
        Files.createSymbolicLink(quarantine().resolve(name + ".errors.jsonl"), target);

        dropText(name, HostileFiles.rows(5102, 3) + HostileFiles.rejectedRow(5102, 3) + "\n");
        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);
        assertEquals("precious\n", Files.readString(target), "the link's target is untouched");
        assertTrue(Files.isSymbolicLink(quarantine().resolve(name + ".errors.jsonl")), "the link is left as it is");
        // Its rejected row cannot be reported where the link stands: each read fails, and the last quarantines it.
        assertEquals("QUARANTINED", file.get("status"));
        assertTrue(((String) file.get("error")).contains("a symbolic link: not replaced nor written through"),
                (String) file.get("error"));
        assertEquals(0, readingsOf(5102));
    }

    @Test
    void aHardLinkIsSkippedUnreadAndItsContentIsNowhere() throws Exception {
        String salt = UUID.randomUUID().toString();
        String secret = "secret" + Math.abs(salt.hashCode());
        Path target = outsideFile(Csv.BME280_HEADER + "\n5103,1," + secret + ",23.3,2017-07-01T00:00:00,93000,20,50\n"
                + Csv.bme280Row(5103, 1) + "\n");
        String name = "hard-" + salt + ".csv";
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            Files.createLink(dataDir().resolve(name), target);
            Map<String, Object> row = new IngestFiles(dataSource).awaitFinished(name);
            assertEquals("SKIPPED", row.get("status"));
            assertTrue(((String) row.get("error")).startsWith("a hard link (the file has 2 names"), (String) row.get("error"));
            Path moved = quarantine().resolve(".skipped").resolve(name);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(moved, LinkOption.NOFOLLOW_LINKS));
        } finally {
            root.removeHandler(capture);
        }
        assertEquals(0, readingsOf(5103), "nothing of it loaded");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM ingest_file WHERE error LIKE ?")) {
            ps.setString(1, "%" + secret + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
        assertFalse(statusBody().contains(secret), "nothing of it in /status");
        try (Stream<Path> reports = Files.list(quarantine())) {
            for (Path report : reports.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                assertFalse(Files.readString(report, StandardCharsets.ISO_8859_1).contains(secret), report.toString());
            }
        }
        assertFalse(logged.isEmpty(), "the capture saw the pipeline's log");
        assertTrue(logged.stream().noneMatch(line -> line.contains(secret)), "nothing of it in the log");
    }

    private static Path gzipOf(String header, String row, long bytes) throws IOException {
        return HostileFiles.gzip(Files.createTempFile(Path.of("target"), "bomb", ".gen"), header, row, bytes);
    }

    @Test
    void aCompressionBombOfRejectedRowsStopsAtTheReportBoundAndTheIntakeGoesOn() throws Exception {
        String salt = UUID.randomUUID().toString();
        Path bomb = gzipOf(Csv.BME280_HEADER, HostileFiles.rejectedRow(5104, 1), 500L << 20);
        assertTrue(Files.size(bomb) < 3 << 20, "a small file: " + Files.size(bomb));
        String name = Drops.drop(dataDir(), bomb, "bomb-" + salt + ".csv.gz");
        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);
        assertEquals("QUARANTINED", file.get("status"));
        assertTrue(((String) file.get("error")).startsWith("the reports of its rejected rows reached"
                + " pipeline.limits.max-report-bytes (" + String.format(java.util.Locale.ROOT, "%,d",
                        config.limits().maxReportBytes())),
                (String) file.get("error"));
        long reports = Files.size(quarantine().resolve(name + ".rejected.csv"))
                + Files.size(quarantine().resolve(name + ".errors.jsonl"));
        assertTrue(reports <= config.limits().maxReportBytes(), "reports within their bound: " + reports);
        List<String> errors = Files.readAllLines(quarantine().resolve(name + ".errors.jsonl"));
        JsonNode marker = Json.MAPPER.readTree(errors.get(errors.size() - 1));
        assertTrue(marker.get("truncated").asText().startsWith("the reports stop here"), marker.toString());
        assertTrue(Files.exists(quarantine().resolve(name)), "the file itself is in quarantine/");

        String after = "after-bomb-" + salt + ".csv";
        dropText(after, HostileFiles.rows(5105, 5));
        assertEquals("LOADED", new IngestFiles(dataSource).awaitFinished(after).get("status"), "the intake goes on");
    }

    @Test
    void aCompressedFileUnpackingPastItsRatioIsQuarantinedAndOneWithTrailingBytesToo() throws Exception {
        String salt = UUID.randomUUID().toString();
        // Blank lines: nothing to report, so only the ratio (100 by default) stops it.
        Path blanks = gzipOf(Csv.BME280_HEADER, "", 200L << 20);
        String bomb = Drops.drop(dataDir(), blanks, "blanks-" + salt + ".csv.gz");

        Path trailing = Files.createTempFile(Path.of("target"), "trailing", ".gen");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(trailing))) {
            out.write(HostileFiles.rows(5106, 200).getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(trailing, "this is not gzip\n", java.nio.file.StandardOpenOption.APPEND);
        String garbage = Drops.drop(dataDir(), trailing, "trailing-" + salt + ".csv.gz");

        IngestFiles files = new IngestFiles(dataSource);
        Map<String, Object> ratio = files.awaitFinished(bomb);
        assertEquals("QUARANTINED", ratio.get("status"));
        assertEquals(String.format(java.util.Locale.ROOT, "the content is larger than 100 times its compressed size of %,d bytes"
                + " (pipeline.limits.max-compression-ratio): read no further", Files.size(blanks)), ratio.get("error"));
        Map<String, Object> tail = files.awaitFinished(garbage);
        assertEquals("QUARANTINED", tail.get("status"));
        assertTrue(((String) tail.get("error")).startsWith("not valid gzip")
                && ((String) tail.get("error")).contains("after a valid .gz stream"), (String) tail.get("error"));
        assertEquals(0, readingsOf(5106), "none of its rows stays loaded");
    }

    @Test
    void rowsUnderTheRecordLimitAreJudgedOneByOne() throws Exception {
        String salt = UUID.randomUUID().toString();
        String name = "long-rows-" + salt + ".csv";
        Path staged = HostileFiles.longRows(Files.createTempFile(Path.of("target"), "long-rows", ".gen"), 5107);
        Files.move(staged, dataDir().resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);
        assertEquals("LOADED", file.get("status"), String.valueOf(file.get("error")));
        assertEquals(25L, file.get("rows_total"));
        assertEquals(4L, file.get("rows_quarantined"));
        assertEquals(21L, file.get("rows_loaded"));
    }

    @Test
    void aRowOfTenThousandFieldsIsRejectedForItsCountAndAHugeHeaderGetsAShortReason() throws Exception {
        String salt = UUID.randomUUID().toString();
        String wide = "wide-rows-" + salt + ".csv";
        Path staged = HostileFiles.wideRows(Files.createTempFile(Path.of("target"), "wide", ".gen"), 5108, 2_000);
        Files.move(staged, dataDir().resolve(wide), StandardCopyOption.ATOMIC_MOVE);
        String header = "header-" + salt + ".csv";
        Files.move(HostileFiles.wideHeader(Files.createTempFile(Path.of("target"), "header", ".gen"), 5109),
                dataDir().resolve(header), StandardCopyOption.ATOMIC_MOVE);

        IngestFiles files = new IngestFiles(dataSource);
        Map<String, Object> file = files.awaitFinished(wide);
        // Each wide row is judged as a row (rejected for its count, its line kept whole in the reports),
        // until the reports reach their bound.
        assertEquals("QUARANTINED", file.get("status"));
        assertTrue(((String) file.get("error")).startsWith("the reports of its rejected rows reached"),
                (String) file.get("error"));
        String firstReport = Files.readAllLines(quarantine().resolve(wide + ".errors.jsonl")).get(0);
        JsonNode reason = Json.MAPPER.readTree(firstReport).get("reasons").get(0);
        assertEquals("row has 10000 fields, the header 8", reason.get("message").asText().substring(0, 34), reason.toString());
        assertEquals(12L, Json.MAPPER.readTree(firstReport).get("line").asLong());

        Map<String, Object> refused = files.awaitFinished(header);
        assertEquals("QUARANTINED", refused.get("status"));
        assertEquals("the header has 9,008 columns, more than pipeline.limits.max-fields (1,000)", refused.get("error"));
    }

    @Test
    void everyErrorTextStoredOrShownIsCutToItsBound() throws Exception {
        String salt = UUID.randomUUID().toString();
        String name = "unknown-" + salt + ".csv";
        StringBuilder columns = new StringBuilder("a_column_no_source_has_0");
        for (int i = 1; i < 900; i++) {
            columns.append(",a_column_no_source_has_").append(i);
        }
        dropText(name, columns + "\n1,2\n");
        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);
        assertEquals("QUARANTINED", file.get("status"));
        String error = (String) file.get("error");
        assertTrue(error.startsWith("unknown header 'a_column_no_source_has_0,"), error);
        assertTrue(error.length() <= config.limits().maxMessageChars() + 40, error.length() + ": " + error);
        JsonNode report = Json.MAPPER.readTree(quarantine().resolve(name + ".error.json").toFile());
        assertEquals(error, report.get("reason").asText());
    }

    @Test
    void aFileThatLeavesTheDataFolderWhileItIsReadIsReadNoFurther() throws Exception {
        String salt = UUID.randomUUID().toString();
        Path big = Files.createTempFile(Path.of("target"), "leaving", ".gen");
        new SyntheticSensorFile(7, 600_000, 0, 0, 41).writeTo(big);
        String name = Drops.drop(dataDir(), big, "leaving-" + salt + ".csv");
        IngestFiles files = new IngestFiles(dataSource);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).until(() -> files.byName(name) != null);
        Files.move(dataDir().resolve(name), Path.of("target", name + ".taken-away"));
        Map<String, Object> file = files.awaitFinished(name);
        assertEquals("QUARANTINED", file.get("status"));
        assertTrue(((String) file.get("error")).startsWith("the file left the data folder while it was read"),
                (String) file.get("error"));
        long id = (Long) file.get("id");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(0, files.count(
                "SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", id), "none of its rows stays"));
    }

    @Test
    void aStrayRecordIsPinnedOnAFileOnlyWhenItNamesThatFile() throws Exception {
        String salt = UUID.randomUUID().toString();
        // A file being read: its ingest_file row as the intake writes it.
        String innocent = "innocent-" + salt + ".csv";
        long innocentId;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ingest_file (file_name, sha256, size_bytes, status) VALUES (?, ?, 1, 'PROCESSING')",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, innocent);
            ps.setString(2, salt);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                innocentId = keys.getLong("id");
            }
        }
        String broken = "\tbme280\ttemperature:3\n2\t1000\t\t42686000\t2335";
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String value : List.of("#readings-chunk\t" + innocentId + "\tx.csv" + broken,
                    "#readings-chunk\t" + innocentId + broken)) {
                sent.add(producer.send(new ProducerRecord<>(config.topic().readings(),
                        Long.toString(innocentId).getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8))).get());
            }
        }
        IngestFiles files = new IngestFiles(dataSource);
        for (RecordMetadata record : sent) {
            await().atMost(Duration.ofMinutes(1)).until(() -> deadLetterFile(record) != null);
            assertNull(deadLetterFile(record).orElse(null), "dead-lettered alone: " + record);
        }
        assertEquals("PROCESSING", files.byName(innocent).get("status"), "the file it named is not blamed");

        // The same broken record under the file's own name is that file's: it is quarantined.
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(config.topic().readings(),
                    Long.toString(innocentId).getBytes(StandardCharsets.UTF_8),
                    ("#readings-chunk\t" + innocentId + "\t" + innocent + broken).getBytes(StandardCharsets.UTF_8))).get();
        }
        assertEquals("QUARANTINED", files.awaitFinished(innocent).get("status"));
    }

    /** The file a dead-lettered record was pinned on (empty for none), or null while it is not recorded yet. */
    private java.util.Optional<Long> deadLetterFile(RecordMetadata record) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT file_id FROM dead_letter WHERE source_topic = ? AND source_partition = ? AND source_offset = ?")) {
            ps.setString(1, record.topic());
            ps.setInt(2, record.partition());
            ps.setLong(3, record.offset());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long id = rs.getLong(1);
                return rs.wasNull() ? java.util.Optional.empty() : java.util.Optional.of(id);
            }
        }
    }
}
