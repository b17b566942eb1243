package io.sensorpipe.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.records.ReadingCodec;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.testdata.Intakes;
import io.sensorpipe.testdata.Values;

/** Chunks handed over are encoded and sent on the publishing thread, in order, and acknowledged by the broker. */
@QuarkusTest
class ReadingPublisherTest {

    @Inject
    ReadingPublisher publisher;

    @Inject
    PipelineConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void everyChunkHandedOverReachesTheTopicInOrderAsOneRecordKeyedByTheFile() throws Exception {
        // No such ingest_file row: the loader, which also reads the topic, skips these readings.
        long fileId = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        FileIntake intake = Intakes.of(fileId, Path.of("publisher-" + fileId + ".csv"), "sha");
        List<SensorReading> sent = new ArrayList<>();
        for (int chunk = 0; chunk < 30; chunk++) {
            List<SensorReading> readings = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long line = 2 + chunk * 100L + i;
                readings.add(new SensorReading(fileId, line, intake.fileName(), "bme280", 2040 + i % 3, 1025L, 42.686,
                        23.351, Instant.parse("2017-07-01T00:00:00Z").plusSeconds(line), Values.of("pressure", 941.1234, "temperature", 20.5, "humidity", 50.0), "2040,1025,42.686,23.351,...," + line));
            }
            publisher.publish(readings, intake, config.topic().readings());
            publisher.published(intake, readings.size());
            sent.addAll(readings);
        }

        CountDownLatch acknowledged = new CountDownLatch(1);
        intake.acks().whenAcknowledged(intake.rowsPublished(), acknowledged::countDown);
        assertTrue(acknowledged.await(1, TimeUnit.MINUTES), "the broker acknowledged the file's readings");
        intake.acks().throwIfFailed();
        assertEquals(3_000, intake.acks().acknowledged());

        List<SensorReading> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "publisher-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(config.topic().readings()));
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Long.toString(fileId).equals(record.key())) {
                        List<SensorReading> carried = ReadingCodec.decodeAll(record.value(), Values.SHIPPED);
                        assertEquals(100, carried.size(), "one chunk, one record");
                        assertEquals("100", new String(record.headers().lastHeader(ReadingPublisher.ROWS_HEADER)
                                .value(), java.nio.charset.StandardCharsets.US_ASCII));
                        received.addAll(carried);
                    }
                }
                return received.size() >= sent.size();
            });
            // Then until quiet: a record sent twice would show in the exact comparison below.
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (Long.toString(fileId).equals(record.key())) {
                        received.addAll(ReadingCodec.decodeAll(record.value(), Values.SHIPPED));
                        quietSince = System.nanoTime();
                    }
                }
            }
        }
        assertEquals(sent, received, "every reading once, in the order handed over");
    }
}
