package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.sensorpipe.testdata.Csv;

/** The file lifecycle events, read back from the real broker with a plain Kafka consumer. */
@QuarkusTest
class FileEventsTest {

    @Inject
    PipelineConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private String drop(String name, String content) throws Exception {
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        Path staged = dataDir.resolve(name + ".part");
        Files.writeString(staged, content);
        Files.move(staged, dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return name;
    }

    @Test
    void everyStateChangeOfAFileIsOneMessageKeyedByItsHash() throws Exception {
        long salt = System.nanoTime();
        StringBuilder good = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < 20; i++) {
            good.append(Csv.bme280Row(salt % 100_000, i)).append('\n');
        }
        String loaded = drop("events-good-" + salt + ".csv", good.toString());
        String bad = drop("events-bad-" + salt + ".csv", "station,when,temp\n1,2017-07-01T00:00:00," + salt + "\n");
        await().atMost(Duration.ofMinutes(1))
                .until(() -> Files.notExists(Path.of(config.dataDir(), loaded)));
        String again = drop("events-again-" + salt + ".csv", good.toString());

        List<JsonNode> events = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "file-events-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(config.topic().fileEvents()));
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = Json.MAPPER.readTree(record.value());
                    if (event.get("file_name").asText().contains(Long.toString(salt))) {
                        events.add(event);
                        keys.add(record.key());
                    }
                }
                return events.size() >= 5;
            });
            // Then until quiet: a later duplicate of any event would show in the exact list below.
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = Json.MAPPER.readTree(record.value());
                    if (event.get("file_name").asText().contains(Long.toString(salt))) {
                        events.add(event);
                        keys.add(record.key());
                        quietSince = System.nanoTime();
                    }
                }
            }
        }

        assertEquals(List.of(loaded + " DETECTED", loaded + " LOADED", bad + " DETECTED", bad + " QUARANTINED",
                again + " DUPLICATE"), events.stream().map(e -> e.get("file_name").asText() + " "
                        + e.get("status").asText()).sorted(Comparator.comparingInt(FileEventsTest::order)).toList());
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            assertEquals(event.get("sha256").asText(), keys.get(i), "keyed by the file's hash");
            assertEquals(64, event.get("sha256").asText().length());
            assertTrue(event.get("file_path").asText().endsWith(event.get("file_name").asText()));
            assertNotNull(Instant.parse(event.get("timestamp").asText()));
        }
        JsonNode loadedEvent = find(events, loaded, "LOADED");
        assertEquals(20, loadedEvent.get("rows_total").asInt());
        assertEquals(20, loadedEvent.get("rows_loaded").asInt());
        assertEquals(0, loadedEvent.get("rows_quarantined").asInt());
        JsonNode quarantined = find(events, bad, "QUARANTINED");
        assertTrue(quarantined.get("reason").asText().contains("header"), quarantined.toString());
        JsonNode duplicate = find(events, again, "DUPLICATE");
        assertEquals(loadedEvent.get("file_id").asLong(), duplicate.get("duplicate_of").asLong());
        assertEquals(loadedEvent.get("sha256").asText(), duplicate.get("sha256").asText());
    }

    /** Orders "name STATUS" lines: good file, bad file, duplicate; DETECTED before the outcome. */
    private static int order(String line) {
        int file = line.contains("events-good-") ? 0 : line.contains("events-bad-") ? 10 : 20;
        return file + (line.endsWith("DETECTED") ? 0 : 1);
    }

    private static JsonNode find(List<JsonNode> events, String name, String status) {
        return events.stream().filter(e -> e.get("file_name").asText().equals(name)
                && e.get("status").asText().equals(status)).findFirst().orElseThrow();
    }
}
