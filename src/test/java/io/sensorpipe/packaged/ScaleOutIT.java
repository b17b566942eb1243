package io.sensorpipe.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sensorpipe.testdata.ExpectedReadings;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.MetricsCheck;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * Three packaged instances, started with the same settings and no identity of their own, on one data
 * folder, one topic and one database: every file is read by one instance and finished exactly once
 * whichever instance loaded its rows, and every instance works. Then, with two of them, one killed with
 * {@code kill -9} and not restarted: the other finishes every file.
 * <p>
 * How the test knows a file was read by one instance: an instance logs "X opened for reading" each time
 * it opens a file (a read that later fails or is dropped included) and "X read: …" when it has read it to
 * its end; a file claimed by one instance is never opened by another, and none fails a read here.
 */
class ScaleOutIT {

    private static final Logger LOG = Logger.getLogger(ScaleOutIT.class);
    private static final Path WORK = Path.of("target", "scale-out").toAbsolutePath();

    private static ServicesUnderTest services;

    @BeforeAll
    static void services() {
        PackagedPipeline.requireJar();
        services = new ServicesUnderTest(WORK);
    }

    @AfterAll
    static void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    private record Input(String name, Path source, SyntheticSensorFile.Expected expected) {
    }

    private static List<Input> inputs(String prefix, int files, long seed) throws Exception {
        List<Input> inputs = new ArrayList<>();
        Path sources = Files.createDirectories(WORK.resolve("sources"));
        for (int i = 0; i < files; i++) {
            long rows = i % 40 == 0 ? 100_000 : 1_000 + (i * 37L) % 2_000;
            Path source = sources.resolve(prefix + "-" + i + ".csv");
            inputs.add(new Input(source.getFileName().toString(), source,
                    new SyntheticSensorFile(5, rows, 97, 0, seed + i).writeTo(source)));
        }
        return inputs;
    }

    private static void drop(Path dataDir, List<Input> inputs) throws Exception {
        Files.createDirectories(dataDir);
        for (Input input : inputs) {
            Path staged = dataDir.resolve(input.name() + ".part");
            Files.copy(input.source(), staged, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, dataDir.resolve(input.name()), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Every input LOADED once with its generator's counts, each stored value as the oracle says, metrics equal SQL. */
    private static void assertExactlyOnce(List<Input> inputs) throws Exception {
        IngestFiles files = new IngestFiles(services.db);
        for (Input input : inputs) {
            Map<String, Object> file = files.awaitFinished(input.name());
            String what = input.name() + " " + file;
            assertEquals("LOADED", file.get("status"), what);
            assertEquals(input.expected().rowsTotal(), file.get("rows_total"), what);
            assertEquals(input.expected().rowsValid(), file.get("rows_loaded"), what);
            long id = (Long) file.get("id");
            assertEquals(List.of(), ExpectedReadings.differences(services.db, id, input.source()), what);
            assertEquals(List.of(), new MetricsCheck(services.db).mismatches(id), what);
        }
    }

    /** An instance with the same settings as {@code first}: its data folder, topic, group; its own port and work folder. */
    private static PackagedPipeline sameAs(PackagedPipeline first, String id) throws Exception {
        PackagedPipeline next = new PackagedPipeline(WORK.resolve(id), services.kafka.bootstrapServers(),
                services.postgres.jdbcUrl(), first.env("PIPELINE_TOPIC_READINGS"));
        next.env("PIPELINE_DATA_DIR", first.dataDir().toString());
        next.env("PIPELINE_QUARANTINE_DIR", first.quarantineDir().toString());
        next.env("PIPELINE_LOADER_GROUP_ID", first.env("PIPELINE_LOADER_GROUP_ID"));
        return next;
    }

    /** The instances' log lines naming an opening of this file ("X opened for reading"). */
    private static long openings(List<PackagedPipeline> apps, String name) throws Exception {
        long openings = 0;
        for (PackagedPipeline app : apps) {
            openings += app.logLines(" " + name + " opened for reading ");
        }
        return openings;
    }

    /** The inputs this instance has opened that are not finished yet. */
    private static List<String> heldBy(PackagedPipeline app, List<Input> inputs, IngestFiles files) throws Exception {
        List<String> held = new ArrayList<>();
        List<String> opened = app.linesWith(" opened for reading ");
        for (Input input : inputs) {
            if (opened.stream().anyMatch(line -> line.contains(" " + input.name() + " opened for reading "))) {
                Map<String, Object> row = files.byName(input.name());
                if (row != null && "PROCESSING".equals(row.get("status"))) {
                    held.add(input.name());
                }
            }
        }
        return held;
    }

    @Test
    void instancesShareTheWorkAndOneFinishesWhatAnotherLeftWhenKilled() throws Exception {
        long seed = System.nanoTime();
        LOG.infof("scale-out test: seed %d", seed);
        try (PackagedPipeline a = services.pipeline(WORK, "a"); PackagedPipeline b = sameAs(a, "b");
                PackagedPipeline c = sameAs(a, "c")) {
            List<PackagedPipeline> all = List.of(a, b, c);
            for (PackagedPipeline app : all) {
                app.start();
            }
            for (PackagedPipeline app : all) {
                app.awaitReadiness(200, Duration.ofMinutes(2));
            }

            List<Input> first = inputs("shared", 200, seed);
            long started = System.nanoTime();
            drop(a.dataDir(), first);
            assertExactlyOnce(first);
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            IngestFiles ledger = new IngestFiles(services.db);
            for (Input input : first) {
                assertEquals(1, openings(all, input.name()), input.name() + " opened by one instance, once");
                assertEquals(0, ledger.byName(input.name()).get("failed_reads"), input.name() + " no failed read");
            }
            List<Long> readBy = new ArrayList<>();
            List<Long> completedBy = new ArrayList<>();
            for (PackagedPipeline app : all) {
                readBy.add(app.logLines(" read: "));
                completedBy.add(app.logLines(".csv LOADED: "));
            }
            LOG.infof("scale-out test: 200 files in %d s; files read by a, b, c: %s; completed by a, b, c: %s", seconds,
                    readBy, completedBy);
            assertTrue(readBy.stream().allMatch(n -> n > 0), "every instance read files: " + readBy);
            assertTrue(completedBy.stream().allMatch(n -> n > 0), "every instance completed files (loaded its partitions): "
                    + completedBy);
            assertEquals(200, completedBy.stream().mapToLong(Long::longValue).sum(), "each file completed once");

            // Two instances from here: c leaves (its partitions and nothing else go to the others).
            c.close();

            List<Input> second = inputs("failover", 40, seed + 1_000);
            drop(a.dataDir(), second);
            IngestFiles files = new IngestFiles(services.db);
            // b is killed while it holds work: a file it opened that is not finished (a read in flight, or
            // read and not yet loaded, its claim held until it is).
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !heldBy(b, second, files).isEmpty());
            b.kill();
            long killed = System.nanoTime();
            List<String> held = heldBy(b, second, files);
            assertTrue(!held.isEmpty(), "the killed instance held files at the kill");
            List<String> readInFlight = new ArrayList<>();
            for (String name : held) {
                if (b.logLines(" " + name + " read: ") == 0) {
                    readInFlight.add(name);
                }
            }
            assertExactlyOnce(second);
            for (String name : readInFlight) {
                assertEquals(1, a.logLines(" " + name + " opened for reading "),
                        name + ": its read was cut by the kill, and the other instance took it over");
            }
            LOG.infof("scale-out test: b held %s at the kill (reads in flight: %s)", held, readInFlight);
            LOG.infof("scale-out test: after kill -9 of one instance the other finished the %d files in %d s",
                    second.size(), (System.nanoTime() - killed) / 1_000_000_000);
        }
    }
}
