package io.sensorpipe.packaged;

import java.nio.file.Path;

import org.postgresql.ds.PGSimpleDataSource;

import io.sensorpipe.ops.embedded.EmbeddedKafka;
import io.sensorpipe.ops.embedded.EmbeddedPostgres;

/**
 * A Kafka broker and a PostgreSQL of a test class, in the test's JVM so that it can stop and restart
 * them, for the packaged application to run against.
 */
public final class ServicesUnderTest implements AutoCloseable {

    public final EmbeddedKafka kafka;
    public final EmbeddedPostgres postgres;
    public final PGSimpleDataSource db;

    public ServicesUnderTest(Path work) {
        kafka = EmbeddedKafka.start(work, "warm-up");
        postgres = EmbeddedPostgres.start(work.resolve("postgres"));
        db = new PGSimpleDataSource();
        db.setURL(postgres.jdbcUrl());
    }

    /** The packaged application on these services, with a topic of its own, in {@code work/<id>}. */
    public PackagedPipeline pipeline(Path work, String id) throws Exception {
        String topic = "readings-" + id;
        kafka.createTopic(topic);
        kafka.createTopic(topic + ".dlq");
        Path dir = work.resolve(id);
        if (java.nio.file.Files.exists(dir)) {
            try (var paths = java.nio.file.Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return new PackagedPipeline(dir, kafka.bootstrapServers(), postgres.jdbcUrl(), topic);
    }

    @Override
    public void close() {
        kafka.close();
        postgres.close();
    }
}
