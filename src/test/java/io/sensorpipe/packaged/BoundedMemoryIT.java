package io.sensorpipe.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.HostileFiles;
import io.sensorpipe.testdata.IngestFiles;

/**
 * The inputs that once grew the pipeline's memory without bound, against the packaged application with
 * a heap of 256 MB that stops the process at the first OutOfMemoryError: a compression bomb of 500 MB of
 * rejected rows, rows of 600,000 characters, 2,000 rows of 10,000 fields, a header of 9,000 columns. Each
 * ends as its bounds say, and the process is still there to load the next file.
 */
class BoundedMemoryIT {

    private static final Logger LOG = Logger.getLogger(BoundedMemoryIT.class);
    private static final Path WORK = Path.of("target", "bounded-memory").toAbsolutePath();

    @Test
    void hostileInputsEndWithinTheirBoundsOnA256MegabyteHeap() throws Exception {
        PackagedPipeline.requireJar();
        Path sources = Files.createDirectories(WORK.resolve("sources"));
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("bomb.csv.gz", HostileFiles.gzip(sources.resolve("bomb"), Csv.BME280_HEADER,
                HostileFiles.rejectedRow(7001, 1), 500L << 20));
        inputs.put("long-rows.csv", HostileFiles.longRows(sources.resolve("long-rows"), 7002));
        inputs.put("wide-rows.csv", HostileFiles.wideRows(sources.resolve("wide-rows"), 7003, 2_000));
        inputs.put("wide-header.csv", HostileFiles.wideHeader(sources.resolve("wide-header"), 7004));
        Map<String, String> expected = Map.of("bomb.csv.gz", "QUARANTINED", "long-rows.csv", "LOADED",
                "wide-rows.csv", "QUARANTINED", "wide-header.csv", "QUARANTINED");

        try (ServicesUnderTest services = new ServicesUnderTest(WORK);
                PackagedPipeline app = services.pipeline(WORK, "heap-256m")) {
            app.jvmOptions("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(1));
            IngestFiles files = new IngestFiles(services.db);
            Path dataDir = Files.createDirectories(app.dataDir());
            for (Map.Entry<String, Path> input : inputs.entrySet()) {
                Files.copy(input.getValue(), dataDir.resolve(input.getKey() + ".part"));
                Files.move(dataDir.resolve(input.getKey() + ".part"), dataDir.resolve(input.getKey()),
                        StandardCopyOption.ATOMIC_MOVE);
                Map<String, Object> file = files.awaitFinished(input.getKey());
                assertEquals(expected.get(input.getKey()), file.get("status"), input.getKey() + ": " + file);
                assertTrue(app.alive(), "the process lives on after " + input.getKey());
                LOG.infof("%s %s: resident %d MB", input.getKey(), file.get("status"), residentMegabytes(app.pid()));
            }
            Path clean = sources.resolve("clean");
            Files.writeString(clean, HostileFiles.rows(7005, 50));
            Files.move(clean, dataDir.resolve("clean.csv"), StandardCopyOption.ATOMIC_MOVE);
            Map<String, Object> file = files.awaitFinished("clean.csv");
            assertEquals("LOADED", file.get("status"));
            assertEquals(50L, file.get("rows_loaded"));
            assertTrue(app.alive(), "no OutOfMemoryError stopped it");
        }
    }

    /** VmRSS of a process, for the log: the heap bound is what the test holds the pipeline to. */
    private static long residentMegabytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (Exception e) {
            // not Linux: nothing to log
        }
        return -1;
    }
}
