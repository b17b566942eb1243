package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorpipe.testdata.Drops;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.MetricsCheck;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * Records on the readings topic that can never be loaded, produced by another producer or corrupted on
 * the topic, against the real broker and database: each goes to the dead-letter topic with its headers,
 * is counted and listed, and the loader goes on.
 */
@QuarkusTest
class DeadLetterTest {

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @TestHTTPResource("/status")
    URI status;

    private final HttpClient http = HttpClient.newHttpClient();

    private String get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** {@code sensorpipe_dead_letters_total} per reason, as scraped now. */
    private Map<String, Double> deadLetterCounts() throws Exception {
        Map<String, Double> counts = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^sensorpipe_dead_letters_total\\{reason=\"([^\"]+)\"\\} (\\S+)$")
                .matcher(get(metrics));
        while (m.find()) {
            counts.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return counts;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private String drop(Path source, String name) throws Exception {
        return Drops.drop(Path.of(config.dataDir()), source, name);
    }

    /** Reads the dead-letter topic from its start until a record with each of these keys is there. */
    private Map<String, ConsumerRecord<byte[], byte[]>> deadLettersByKey(List<String> keys) {
        Map<String, ConsumerRecord<byte[], byte[]>> found = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
                "dead-letter-test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(config.topic().deadLetters()));
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                    if (keys.contains(key)) {
                        found.putIfAbsent(key, record);
                    }
                }
                return found.keySet().containsAll(keys);
            });
        }
        return found;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertNotNull(header, "header " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void recordsFromAnotherProducerAreDeadLetteredWithTheirHeadersAndTheFileAfterThemLoadsExactly() throws Exception {
        Map<String, Double> before = deadLetterCounts();
        String salt = UUID.randomUUID().toString();
        Map<String, byte[]> values = new LinkedHashMap<>();
        values.put("text-" + salt, "this is not a reading".getBytes(StandardCharsets.UTF_8));
        values.put("truncated-" + salt, "#readings-chunk\t12".getBytes(StandardCharsets.UTF_8));
        values.put("json-" + salt, "{\"sensor_id\": 2040, \"temperature\": 23.5}".getBytes(StandardCharsets.UTF_8));
        values.put("latin1-" + salt, "#readings-chunk\t1\tcaf\u00e9.csv".getBytes(StandardCharsets.ISO_8859_1));
        Map<String, RecordMetadata> sent = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Map.Entry<String, byte[]> e : values.entrySet()) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(config.topic().readings(),
                        e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue());
                record.headers().add("origin", "console-producer".getBytes(StandardCharsets.UTF_8));
                sent.put(e.getKey(), producer.send(record).get());
            }
        }

        Path generated = Files.createTempFile(Path.of("target"), "after-poison", ".gen");
        SyntheticSensorFile.Expected expected = new SyntheticSensorFile(4, 5_000, 7, 0, 11).writeTo(generated);
        String name = drop(generated, "after-poison-" + salt + ".csv");
        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);
        assertEquals("LOADED", file.get("status"));
        assertEquals(expected.rowsValid(), file.get("rows_loaded"));
        long id = (Long) file.get("id");
        assertEquals(expected.rowsValid(), new IngestFiles(dataSource)
                .count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", id));
        assertEquals(List.of(), new MetricsCheck(dataSource).mismatches(id));

        Map<String, ConsumerRecord<byte[], byte[]>> dead = deadLettersByKey(List.copyOf(values.keySet()));
        Map<String, String> reasons = new HashMap<>();
        for (Map.Entry<String, ConsumerRecord<byte[], byte[]>> e : dead.entrySet()) {
            ConsumerRecord<byte[], byte[]> record = e.getValue();
            RecordMetadata original = sent.get(e.getKey());
            assertArrayEquals(values.get(e.getKey()), record.value(), "the original value, byte for byte");
            assertEquals("console-producer", header(record, "origin"), "the original headers are kept");
            assertEquals(config.topic().readings(), header(record, "sensorpipe.errors.topic"));
            assertEquals(Integer.toString(original.partition()), header(record, "sensorpipe.errors.partition"));
            assertEquals(Long.toString(original.offset()), header(record, "sensorpipe.errors.offset"));
            assertEquals("io.sensorpipe.records.PoisonRecordException", header(record, "sensorpipe.errors.exception.class"));
            String kind = e.getKey().substring(0, e.getKey().indexOf('-'));
            String message = header(record, "sensorpipe.errors.exception.message");
            assertTrue(message.startsWith(switch (kind) {
                case "text" -> "not a readings chunk: the value does not start with '#readings-chunk' and a tab: 'this is not a reading'";
                case "json" -> "not a readings chunk: the value does not start with '#readings-chunk' and a tab: '{\"sensor_id\"";
                case "truncated" -> "readings chunk: ";
                default -> "the record value is not UTF-8: ";
            }), kind + ": " + message);
            Instant.parse(header(record, "sensorpipe.errors.time"));
            reasons.put(e.getKey().substring(0, e.getKey().indexOf('-')), header(record, "sensorpipe.errors.reason"));
        }
        assertEquals(Map.of("text", "not-our-format", "truncated", "malformed", "json", "not-our-format", "latin1",
                "bad-encoding"), reasons);

        Map<String, Double> after = deadLetterCounts();
        assertEquals(2.0, after.getOrDefault("not-our-format", 0.0) - before.getOrDefault("not-our-format", 0.0));
        assertEquals(1.0, after.getOrDefault("malformed", 0.0) - before.getOrDefault("malformed", 0.0));
        assertEquals(1.0, after.getOrDefault("bad-encoding", 0.0) - before.getOrDefault("bad-encoding", 0.0));

        JsonNode deadLetters = Json.MAPPER.readTree(get(URI.create(status + "?limit=500"))).get("dead_letters");
        List<String> listed = new ArrayList<>();
        deadLetters.get("recent").forEach(letter -> listed.add(letter.get("source").asText()));
        for (RecordMetadata original : sent.values()) {
            assertTrue(listed.contains(original.topic() + "-" + original.partition() + "@" + original.offset()),
                    "/status lists " + original + ": " + listed);
        }

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(config.loader().groupId()).partitionsToOffsetAndMetadata().get();
                for (RecordMetadata original : sent.values()) {
                    OffsetAndMetadata offset = committed.get(new TopicPartition(original.topic(), original.partition()));
                    assertTrue(offset != null && offset.offset() > original.offset(),
                            "the loader's committed offset moved past " + original);
                }
            });
        }
    }

    /**
     * Also the replay docs/failures.md gives: once quarantined, the file moved back into the data folder is
     * read as a new load and loads exactly; a record of a loaded file produced back to the readings topic
     * loads no row twice.
     */
    @Test
    void aCorruptedRecordOfAFileQuarantinesThatFileWithNoRowLeftWhileAnotherLoadsExactly() throws Exception {
        String salt = UUID.randomUUID().toString();
        Path big = Files.createTempFile(Path.of("target"), "corrupted", ".gen");
        SyntheticSensorFile.Expected whole = new SyntheticSensorFile(9, 400_000, 0, 0, 5).writeTo(big);
        Path small = Files.createTempFile(Path.of("target"), "neighbour", ".gen");
        SyntheticSensorFile.Expected neighbour = new SyntheticSensorFile(3, 4_000, 11, 0, 6).writeTo(small);

        String corrupted = drop(big, "corrupted-" + salt + ".csv");
        IngestFiles files = new IngestFiles(dataSource);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> files.byName(corrupted) != null);
        long id = (Long) files.byName(corrupted).get("id");
        // Rows of the file are committed before its corrupted record comes: the quarantine removes them.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).until(() -> files.count(
                "SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", id) > 0);
        long loadedBefore = files.count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", id);
        // A chunk of that file whose second line was cut short on the topic, keyed as the intake keys its
        // chunks (same partition as the file's own records).
        String chunk = "#readings-chunk\t" + id + "\t" + corrupted + "\tbme280\tpressure:4,temperature:3,humidity:3\n"
                + "2\t1000\t\t42686000\t23351000\t1498867209\t0\t9411234\t23500\t48200\traw\n"
                + "3\t1000\t\t42686000\t2335";
        RecordMetadata sent;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            sent = producer.send(new ProducerRecord<>(config.topic().readings(),
                    Long.toString(id).getBytes(StandardCharsets.UTF_8), chunk.getBytes(StandardCharsets.UTF_8))).get();
        }
        String other = drop(small, "neighbour-" + salt + ".csv");

        Map<String, Object> file = files.awaitFinished(corrupted);
        assertEquals("QUARANTINED", file.get("status"));
        String error = (String) file.get("error");
        assertTrue(error.startsWith("record " + sent.topic() + "-" + sent.partition() + "@" + sent.offset()
                + " of this file was dead-lettered (malformed: "), error);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(0, files.count(
                "SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", id), "no row of the file left"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(Path.of(config.quarantineDir(), corrupted)));
        assertTrue(Files.readString(Path.of(config.quarantineDir(), corrupted + ".error.json")).contains("dead-lettered"));
        assertEquals(0, files.count("SELECT count(*) FROM aggregated_metrics WHERE file_id = ?", id));
        assertTrue(loadedBefore > 0, "rows were loaded before the dead letter (" + loadedBefore
                + ") and are removed with the quarantine");

        Map<String, Object> neighbourFile = files.awaitFinished(other);
        assertEquals("LOADED", neighbourFile.get("status"));
        assertEquals(neighbour.rowsValid(), neighbourFile.get("rows_loaded"));
        assertEquals(neighbour.rowsValid(), files.count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?",
                (Long) neighbourFile.get("id")));
        assertEquals(List.of(), new MetricsCheck(dataSource).mismatches((Long) neighbourFile.get("id")));

        // Replay, as docs/failures.md says: the cause fixed, the file is moved back and read as a new load.
        Files.move(Path.of(config.quarantineDir(), corrupted), Path.of(config.dataDir(), corrupted));
        Map<String, Object> replayed = files.awaitFinishedAfter(corrupted, id);
        long replayedId = (Long) replayed.get("id");
        assertEquals("LOADED", replayed.get("status"));
        assertEquals(whole.rowsValid(), replayed.get("rows_loaded"));
        assertEquals(whole.rowsValid(), files.count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", replayedId));
        assertEquals(0, files.count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", id),
                "nothing of the earlier load");
        assertEquals(List.of(), new MetricsCheck(dataSource).mismatches(replayedId));

        // A record of a loaded file produced back to the readings topic: its rows are not loaded twice.
        long neighbourId = (Long) neighbourFile.get("id");
        ConsumerRecord<byte[], byte[]> original = firstRecordKeyed(config.topic().readings(), Long.toString(neighbourId));
        RecordMetadata resent;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            resent = producer.send(new ProducerRecord<>(config.topic().readings(), original.key(), original.value())).get();
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                OffsetAndMetadata offset = admin.listConsumerGroupOffsets(config.loader().groupId())
                        .partitionsToOffsetAndMetadata().get().get(new TopicPartition(resent.topic(), resent.partition()));
                assertTrue(offset != null && offset.offset() > resent.offset(), "the loader has taken the record back");
            });
        }
        assertEquals(neighbour.rowsValid(), files.count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?",
                neighbourId), "no row twice");
        assertEquals(List.of(), new MetricsCheck(dataSource).mismatches(neighbourId));
    }

    /** The first record of the topic with this key. */
    private ConsumerRecord<byte[], byte[]> firstRecordKeyed(String topic, String key) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
                "replay-test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (found.isEmpty() && record.key() != null
                            && key.equals(new String(record.key(), StandardCharsets.UTF_8))
                            && new String(record.value(), StandardCharsets.UTF_8).startsWith("#readings-chunk")) {
                        found.add(record);
                    }
                }
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }
}
