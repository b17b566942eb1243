package io.sensorpipe.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;

import io.sensorpipe.Json;
import io.sensorpipe.testdata.ExpectedReadings;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * POST /ingest against the packaged application, on a heap of 128 MB: a 300 MB upload is streamed to
 * disk (never held in memory) and answered; an upload answered 202 and the process killed with
 * {@code kill -9} at once is loaded exactly after the restart, and its client's retry loads nothing
 * twice; with the database stopped uploads are answered 503 and leave nothing behind, and once it is
 * back they are taken and loaded exactly.
 */
class IngestOverHttpIT {

    private static final Path WORK = Path.of("target", "ingest-over-http").toAbsolutePath();
    private static final String TOKEN = "it-upload-token";

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> upload(PackagedPipeline app, String name, HttpRequest.BodyPublisher body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(app.url("/ingest?name=" + name)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "text/csv").POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readValue(response.body(), new TypeReference<Map<String, Object>>() { });
    }

    private static Path synthetic(String name, int rows, long seed) throws Exception {
        Path file = Files.createDirectories(WORK.resolve("sources")).resolve(name);
        new SyntheticSensorFile(3, rows, 30, 0, seed).writeTo(file);
        return file;
    }

    private static void assertLoadedExactly(IngestFiles files, PackagedPipeline app, String name, long id, Path csv,
            org.postgresql.ds.PGSimpleDataSource db) throws Exception {
        Map<String, Object> file = files.awaitFinished(name);
        assertEquals(id, file.get("id"));
        assertEquals("LOADED", file.get("status"), String.valueOf(file));
        assertEquals(ExpectedReadings.rows(csv), file.get("rows_total"));
        assertEquals((long) ExpectedReadings.of(csv).size(), file.get("rows_loaded"));
        assertEquals(List.of(), ExpectedReadings.differences(db, id, csv), "every stored value, by the oracle");
    }

    @Test
    void uploadsAreStreamedDurableOnAcceptanceAndRefusedWhileTheDatabaseIsAway() throws Exception {
        PackagedPipeline.requireJar();
        try (ServicesUnderTest services = new ServicesUnderTest(WORK);
                PackagedPipeline app = services.pipeline(WORK, "http")) {
            app.env("PIPELINE_INGEST_ENABLED", "true");
            app.env("PIPELINE_INGEST_TOKENS", TOKEN);
            app.jvmOptions("-Xmx128m", "-XX:+ExitOnOutOfMemoryError");
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(1));
            IngestFiles files = new IngestFiles(services.db);

            // 300 MB sent without a length, more than twice the heap: streamed to disk, and answered 400
            // (no source has its header), the file then quarantined whole like a dropped one.
            long big = 300L << 20;
            HttpResponse<String> streamed = upload(app, "big.csv", HttpRequest.BodyPublishers.ofInputStream(() ->
                    new SequenceInputStream(new java.io.ByteArrayInputStream("colour,shape\n".getBytes(StandardCharsets.US_ASCII)),
                            new Filler(big, "red,round\n".getBytes(StandardCharsets.US_ASCII)))));
            assertEquals(400, streamed.statusCode(), streamed.body());
            assertEquals("QUARANTINED", files.awaitFinished("big.csv").get("status"));
            assertTrue(app.alive(), "no OutOfMemoryError: the body was never held in memory");

            // Answered 202, then kill -9 at once: loaded exactly after the restart.
            Path first = synthetic("first.csv", 20_000, 11);
            HttpResponse<String> accepted = upload(app, "first.csv", HttpRequest.BodyPublishers.ofFile(first));
            app.kill();
            assertEquals(202, accepted.statusCode(), accepted.body());
            long id = ((Number) json(accepted).get("id")).longValue();
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(1));
            assertLoadedExactly(files, app, "first.csv", id, first, services.db);
            HttpResponse<String> retried = upload(app, "first.csv", HttpRequest.BodyPublishers.ofFile(first));
            assertEquals(200, retried.statusCode(), "the client's retry: " + retried.body());
            assertEquals(id, ((Number) json(retried).get("duplicate_of")).longValue());

            // The database away: 503 with Retry-After, nothing kept; back: taken and loaded exactly.
            Path second = synthetic("second.csv", 5_000, 12);
            services.postgres.stop();
            try {
                HttpResponse<String> refused = await().atMost(Duration.ofSeconds(30)).until(
                        () -> upload(app, "second.csv", HttpRequest.BodyPublishers.ofFile(second)),
                        r -> r.statusCode() == 503);
                assertEquals("5", refused.headers().firstValue("Retry-After").orElse(null));
                assertTrue(Files.notExists(app.dataDir().resolve("second.csv")), "nothing handed over");
            } finally {
                services.postgres.restart();
            }
            HttpResponse<String> taken = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> upload(app, "second.csv", HttpRequest.BodyPublishers.ofFile(second)),
                            r -> r.statusCode() != 503);
            assertEquals(202, taken.statusCode(), taken.body());
            assertLoadedExactly(files, app, "second.csv", ((Number) json(taken).get("id")).longValue(), second,
                    services.db);
            try (var spool = Files.list(app.dataDir().resolve(".uploads"))) {
                assertEquals(List.of(), spool.toList(), "no spool file left");
            }
        }
    }

    /** {@code bytes} bytes of one line repeated, generated as read. */
    private static final class Filler extends InputStream {
        private final byte[] line;
        private long left;
        private int at;

        Filler(long bytes, byte[] line) {
            this.left = bytes;
            this.line = line;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            byte b = line[at];
            at = (at + 1) % line.length;
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                buffer[off + i] = line[at];
                at = (at + 1) % line.length;
            }
            left -= n;
            return n;
        }
    }
}
