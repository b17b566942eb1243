package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.sensorpipe.records.ReadingCodec;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.testdata.Readiness;
import io.sensorpipe.testdata.Values;

/**
 * Readiness tells a stuck loader: records wait on the readings topic and the loader commits nothing
 * (here another session holds a lock on the file's row) for longer than pipeline.failures.stuck-after.
 * DOWN, saying so, and UP again once the loader moves.
 */
@QuarkusTest
@TestProfile(StuckLoaderTest.ShortStuckTime.class)
class StuckLoaderTest {

    public static class ShortStuckTime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pipeline.failures.stuck-after", "3s");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    private Readiness readiness() {
        return new Readiness(ready);
    }

    @Test
    void aLoaderThatCommitsNothingWhileRecordsWaitMakesReadinessDownUntilItMoves() throws Exception {
        await().atMost(Duration.ofMinutes(1)).until(() -> "UP".equals(readiness().status()));
        long fileId;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ingest_file (file_name, sha256, size_bytes, status) VALUES (?, ?, 0, 'PROCESSING') RETURNING id")) {
            ps.setString(1, "stuck-" + UUID.randomUUID() + ".csv");
            ps.setString(2, UUID.randomUUID().toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                fileId = rs.getLong(1);
            }
        }
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (PreparedStatement ps = lock.prepareStatement("SELECT id FROM ingest_file WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, fileId);
                ps.executeQuery().close();
            }
            SensorReading reading = new SensorReading(fileId, 2, "stuck.csv", "bme280", 7, null, null, null,
                    Instant.parse("2017-07-01T00:00:00Z"), Values.of("temperature", 20.0), "raw");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(config.topic().readings(), Long.toString(fileId),
                        ReadingCodec.encodeChunks(List.of(reading), Values.SHIPPED, 1024).get(0).value())).get();
            }

            await().atMost(Duration.ofMinutes(1)).until(() -> "DOWN".equals(readiness().status()));
            JsonNode down = readiness().data();
            assertTrue(down.path("loader").asText().startsWith("stuck: "), down.toString());
            assertEquals("reachable", down.path("database").asText(), "the services answer: only the loader is stuck");
            lock.rollback();
        }

        await().atMost(Duration.ofMinutes(1)).until(() -> "UP".equals(readiness().status()));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM raw_sensor_data WHERE file_id = ?")) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getLong(1), "the loader moved on once the lock was gone");
            }
        }
    }
}
