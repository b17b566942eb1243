package io.sensorpipe.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.time.Instant;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.postgresql.ds.PGSimpleDataSource;

import io.sensorpipe.ops.embedded.EmbeddedKafka;
import io.sensorpipe.ops.embedded.EmbeddedPostgres;
import io.sensorpipe.testdata.ExpectedReadings;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.MetricsCheck;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * Real faults against the packaged application running as a child process on a real broker and a
 * real database, both in this JVM so that the test can stop and restart them: {@code kill -9} at
 * random moments, PostgreSQL stopped for 60 s, the broker restarted, all during a load. After each,
 * every row must be loaded or quarantined exactly once and the metrics must equal SQL over the rows.
 */
class FaultToleranceIT {

    private static final Logger LOG = Logger.getLogger(FaultToleranceIT.class);
    private static final Path WORK = Path.of("target", "faults").toAbsolutePath();
    private static final int ROWS = 100_000;

    private static ServicesUnderTest services;
    private static EmbeddedKafka kafka;
    private static EmbeddedPostgres postgres;
    private static PGSimpleDataSource db;

    @BeforeAll
    static void services() throws Exception {
        PackagedPipeline.requireJar();
        services = new ServicesUnderTest(WORK);
        kafka = services.kafka;
        postgres = services.postgres;
        db = services.db;
    }

    @AfterAll
    static void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    /** A file of the test, generated with a seed of its own so that no two files share content. */
    private record Input(String name, Path source, SyntheticSensorFile.Expected expected) {
    }

    private static Input input(String name, long rows, long seed) throws Exception {
        Path source = Files.createDirectories(WORK.resolve("sources")).resolve(name);
        SyntheticSensorFile.Expected expected = new SyntheticSensorFile(20, rows, 97, 0, seed).writeTo(source);
        return new Input(name, source, expected);
    }

    private static void drop(PackagedPipeline app, Input input) throws Exception {
        Path dataDir = Files.createDirectories(app.dataDir());
        Path staged = dataDir.resolve(input.name() + ".part");
        Files.copy(input.source(), staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, dataDir.resolve(input.name()), StandardCopyOption.ATOMIC_MOVE);
    }

    private static PackagedPipeline pipeline(TestInfo test) throws Exception {
        return services.pipeline(WORK, test.getTestMethod().orElseThrow().getName());
    }

    private static IngestFiles files() {
        return new IngestFiles(db);
    }

    /** Rows of the named file in raw_sensor_data so far (0 before it is registered). */
    private static long loadedSoFar(String name) throws Exception {
        Map<String, Object> row = files().byName(name);
        return row == null ? 0 : files().count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?",
                (Long) row.get("id"));
    }

    /** When the file's row was completed. */
    private static Instant completedAt(Input input) throws Exception {
        try (var c = db.getConnection(); var ps = c.prepareStatement(
                "SELECT completed_at FROM ingest_file WHERE file_name = ?")) {
            ps.setString(1, input.name());
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next(), input.name());
                return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
        }
    }

    /** The offsets the application's loader has committed on its readings topic, per partition. */
    private static Map<TopicPartition, Long> committedOffsets(PackagedPipeline app) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, Long> offsets = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
            admin.listConsumerGroupOffsets(app.env("PIPELINE_LOADER_GROUP_ID")).partitionsToOffsetAndMetadata().get()
                    .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
            return offsets;
        }
    }

    /** Every input loaded exactly once, its rejected rows quarantined once, metrics equal to SQL. */
    private static void assertExactlyOnce(PackagedPipeline app, List<Input> inputs) throws Exception {
        for (Input input : inputs) {
            Map<String, Object> file = files().awaitFinished(input.name());
            long id = (Long) file.get("id");
            String what = input.name() + " " + file;
            assertEquals("LOADED", file.get("status"), what);
            assertEquals(input.expected().rowsTotal(), file.get("rows_total"), what);
            assertEquals(input.expected().rowsValid(), file.get("rows_loaded"), what);
            assertEquals(input.expected().rowsInvalid(), file.get("rows_quarantined"), what);
            assertEquals(List.of(), ExpectedReadings.differences(db, id, input.source()),
                    "each accepted row stored once, with the values the contract gives it: " + what);
            assertEquals(1, files().count("SELECT count(*) FROM ingest_file WHERE sha256 ="
                    + " (SELECT sha256 FROM ingest_file WHERE id = ?)", id), "one ingest_file row per content");
            assertEquals(List.of(), new MetricsCheck(db).mismatches(id), "metrics equal SQL: " + what);
            try (var lines = Files.lines(app.quarantineDir().resolve(input.name() + ".errors.jsonl"))) {
                assertEquals(input.expected().rowsInvalid(), lines.count(), "each rejected row quarantined once");
            }
            Path done = app.dataDir().resolve(".done").resolve(id + "-" + input.name());
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(done));
            assertTrue(Files.notExists(app.dataDir().resolve(input.name())), "the file left the data folder");
        }
    }

    private static boolean loaded(Input input) {
        try {
            Map<String, Object> row = files().byName(input.name());
            return row != null && "LOADED".equals(row.get("status"));
        } catch (java.sql.SQLException e) {
            return false;
        }
    }

    @Test
    void killedAtRandomMomentsItFinishesEveryFileExactlyOnce(TestInfo test) throws Exception {
        long started = System.nanoTime();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        LOG.infof("crash test: seed %d (the kill moments and the files' contents follow from it)", seed);
        List<Input> inputs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            inputs.add(input("crash-" + i + ".csv", ROWS, seed + i));
        }
        try (PackagedPipeline app = pipeline(test)) {
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(1));
            for (Input input : inputs) {
                drop(app, input);
            }
            int kills = 0;
            int killsWhileLoading = 0;
            List<String> moments = new ArrayList<>();
            while (kills < 6) {
                // A file loads in a few seconds: keep work in flight so that kills land inside files.
                if (inputs.size() < 8 && inputs.stream().allMatch(FaultToleranceIT::loaded)) {
                    Input more = input("crash-" + (inputs.size() + 1) + ".csv", ROWS, seed + inputs.size() + 1);
                    inputs.add(more);
                    drop(app, more);
                }
                Thread.sleep(200 + random.nextInt(2_800)); // a random moment to kill at, by design
                Map<String, Long> progress = new LinkedHashMap<>();
                boolean loaderMidFile = false;
                for (Input input : inputs) {
                    long loaded = loadedSoFar(input.name());
                    progress.put(input.name(), loaded);
                    Map<String, Object> row = files().byName(input.name());
                    loaderMidFile |= row != null && "PROCESSING".equals(row.get("status")) && loaded > 0
                            && loaded < input.expected().rowsValid();
                }
                app.kill();
                kills++;
                killsWhileLoading += loaderMidFile ? 1 : 0;
                moments.add(progress.toString());
                LOG.infof("kill -9 #%d, rows in the database per file: %s", kills, progress);
                app.start();
                app.awaitReadiness(200, Duration.ofMinutes(1));
            }
            assertExactlyOnce(app, inputs);
            LOG.infof("crash test: %d kills (%d while the loader was inside a file), seed %d, %d s; progress at"
                    + " each kill: %s", kills, killsWhileLoading, seed, (System.nanoTime() - started) / 1_000_000_000,
                    moments);
            assertTrue(killsWhileLoading >= 1, "at least one kill hit the Kafka-to-JDBC stage inside a file: "
                    + moments);
        }
    }

    @Test
    void specialFilesInTheDataFolderStallNeitherTheIntakeNorTheShutdown(TestInfo test) throws Exception {
        try (PackagedPipeline app = pipeline(test)) {
            Path dataDir = Files.createDirectories(app.dataDir());
            // Present before the application starts, as after a restart: it must not hang on them either.
            assertEquals(0, new ProcessBuilder("mkfifo", dataDir.resolve("fifo.csv").toString()).start().waitFor());
            Files.createSymbolicLink(dataDir.resolve("zero.csv"), Path.of("/dev/zero"));
            Files.createSymbolicLink(dataDir.resolve("passwd.csv"), Path.of("/etc/passwd"));
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(2));
            Input after = input("after-special-files.csv", 5_000, 71);
            drop(app, after);
            assertExactlyOnce(app, List.of(after));
            for (String name : List.of("fifo.csv", "zero.csv", "passwd.csv")) {
                assertEquals("SKIPPED", files().awaitFinished(name).get("status"), name);
            }
            // A FIFO put in while the application runs is skipped the same way.
            assertEquals(0, new ProcessBuilder("mkfifo", dataDir.resolve("fifo-2.csv").toString()).start().waitFor());
            assertEquals("SKIPPED", files().awaitFinished("fifo-2.csv").get("status"));

            assertTrue(app.stop(Duration.ofSeconds(60)), "SIGTERM ends the application within Quarkus's shutdown"
                    + " timeout, whatever is in the data folder");
            assertEquals(1, app.logLines("stopped in"), "a graceful stop, not a kill");
        }
    }

    @Test
    void databaseStoppedForAMinuteMidLoadCostsNothing(TestInfo test) throws Exception {
        long started = System.nanoTime();
        Input first = input("db-outage-1.csv", ROWS, 11);
        Input during = input("db-outage-2.csv", 20_000, 12);
        try (PackagedPipeline app = pipeline(test)) {
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(1));
            drop(app, first);
            await().atMost(Duration.ofMinutes(2)).until(() -> loadedSoFar(first.name()) > 0);

            Map<String, Object> before = files().byName(first.name());
            long loadedBefore = loadedSoFar(first.name());
            postgres.stop();
            long down = System.nanoTime();
            Instant downAt = Instant.now();
            assertEquals("PROCESSING", before.get("status"), "the outage starts inside the file's load");
            assertTrue(loadedBefore < first.expected().rowsValid(), "the outage starts before the file's last row"
                    + " is in: " + loadedBefore);
            app.awaitReadiness(503, Duration.ofSeconds(30));
            Map<TopicPartition, Long> committedAtStart = committedOffsets(app);
            drop(app, during);
            long retriesBefore = app.logLines("On delivery attempt");
            while (System.nanoTime() - down < Duration.ofSeconds(60).toNanos()) {
                Thread.sleep(1_000); // the outage lasts a minute: this is its clock, not a wait for the pipeline
                assertTrue(app.alive(), "the pipeline keeps running while the database is away");
                assertEquals(503, app.readiness(), "not ready while the database is away");
            }
            long retries = app.logLines("On delivery attempt") - retriesBefore;
            assertEquals(committedAtStart, committedOffsets(app), "the loader committed nothing while the database"
                    + " was away");
            assertEquals(0, app.logLines(during.name()), "the file dropped during the outage was not touched");
            assertTrue(Files.exists(app.dataDir().resolve(during.name())), "and is still waiting in the data folder");
            postgres.restart();
            app.awaitReadiness(200, Duration.ofMinutes(1));

            assertExactlyOnce(app, List.of(first, during));
            assertTrue(completedAt(first).isAfter(downAt), "the file was finished after the outage, not before it");
            LOG.infof("database outage test: %d s, %d logged redelivery attempts during the 60 s outage",
                    (System.nanoTime() - started) / 1_000_000_000, retries);
            assertTrue(retries <= 50, "bounded exponential backoff, not a retry storm: " + retries + " attempts");
        }
    }

    @Test
    void brokerRestartedMidLoadCostsNothing(TestInfo test) throws Exception {
        long started = System.nanoTime();
        Input input = input("broker-restart.csv", ROWS, 21);
        try (PackagedPipeline app = pipeline(test)) {
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(1));
            drop(app, input);
            await().atMost(Duration.ofMinutes(2)).until(() -> loadedSoFar(input.name()) > 0);

            Map<String, Object> before = files().byName(input.name());
            long loadedBefore = loadedSoFar(input.name());
            kafka.stop();
            Instant downAt = Instant.now();
            assertEquals("PROCESSING", before.get("status"), "the broker goes away inside the file's load");
            assertTrue(loadedBefore < input.expected().rowsValid(), "before the file's last row is in: " + loadedBefore);
            app.awaitReadiness(503, Duration.ofSeconds(30));
            long loadedWhileDown = loadedSoFar(input.name());
            Thread.sleep(10_000); // the outage's length, not a wait for the pipeline
            assertTrue(app.alive(), "the pipeline keeps running while the broker is away");
            assertEquals(loadedWhileDown, loadedSoFar(input.name()), "nothing loaded without the broker");
            kafka.restart();
            app.awaitReadiness(200, Duration.ofMinutes(1));

            assertExactlyOnce(app, List.of(input));
            assertTrue(completedAt(input).isAfter(downAt), "the file was finished after the outage, not before it");
            LOG.infof("broker restart test: %d s", (System.nanoTime() - started) / 1_000_000_000);
        }
    }
}
