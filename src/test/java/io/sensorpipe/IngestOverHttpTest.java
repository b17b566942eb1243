package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorpipe.testdata.ExpectedReadings;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.MetricsCheck;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * {@code POST /ingest} over real HTTP, with the real broker and database: an upload loads exactly as the
 * same file dropped in {@code data/} (every stored value by the independent oracle, metrics, reports);
 * a retried upload, a compressed copy and a repeated Idempotency-Key load nothing twice; every refusal
 * answers before anything is kept. The test profile's tokens and limits are in application.properties.
 */
@QuarkusTest
class IngestOverHttpTest {

    private static final String TOKEN = "test-upload-token";

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource dataSource;

    @Inject
    PipelineConfig config;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String name, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(ingest(name))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI ingest(String name) {
        return URI.create(base + "ingest?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readValue(response.body(), new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    private static Path synthetic(int rows, int invalidEvery) throws Exception {
        Path file = Files.createTempFile(Path.of("target"), "upload", ".gen");
        new SyntheticSensorFile(3, rows, invalidEvery, 0, System.nanoTime()).writeTo(file);
        return file;
    }

    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(packed)) {
            out.write(plain);
        }
        return packed.toByteArray();
    }

    private static long id(Map<String, Object> answer) {
        return ((Number) answer.get("id")).longValue();
    }

    @Test
    void anUploadLoadsExactlyAsTheSameFileDroppedAndIsNeverLoadedTwice() throws Exception {
        Path csv = synthetic(3_000, 25);
        byte[] body = Files.readAllBytes(csv);
        String name = "upload-" + System.nanoTime() + ".csv";

        HttpResponse<String> accepted = post(name, body, "Authorization", "Bearer " + TOKEN, "Content-Type", "text/csv");
        assertEquals(202, accepted.statusCode(), accepted.body());
        Map<String, Object> answer = json(accepted);
        long id = id(answer);
        assertEquals("/status/" + id, answer.get("status_url"));
        assertEquals(name, answer.get("file_name"));

        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);
        assertEquals(id, file.get("id"));
        assertEquals("LOADED", file.get("status"), String.valueOf(file));
        long valid = ExpectedReadings.of(csv).size();
        long rows = ExpectedReadings.rows(csv);
        assertEquals(rows, file.get("rows_total"));
        assertEquals(valid, file.get("rows_loaded"));
        assertEquals(rows - valid, file.get("rows_quarantined"));
        assertEquals(List.of(), ExpectedReadings.differences(dataSource, id, csv), "every stored value, by the oracle");
        assertEquals(List.of(), new MetricsCheck(dataSource).mismatches(id));
        try (var lines = Files.lines(Path.of(config.quarantineDir(), name + ".errors.jsonl"))) {
            assertEquals(rows - valid, lines.count(), "one reason per rejected row, as for a dropped file");
        }

        HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "status/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, status.statusCode());
        Map<String, Object> one = json(status);
        assertEquals("LOADED", one.get("status"));
        assertEquals(valid, ((Number) one.get("rows_loaded")).longValue());
        assertEquals(file.get("source"), one.get("source"));
        long rejections = ((List<?>) one.get("rejections")).stream()
                .mapToLong(r -> ((Number) ((Map<?, ?>) r).get("rows")).longValue()).sum();
        assertEquals(new IngestFiles(dataSource).count("SELECT sum(rejections) FROM file_rejection WHERE file_id = ?", id),
                rejections, "its quarantine summary");
        assertTrue(rejections >= rows - valid, "every rejected row under at least one rule");

        // The client did not hear back and sends it again; then the same rows gzip-compressed; then the
        // same rows as NAME.csv.gz: each is a DUPLICATE of the first, and loads nothing.
        HttpResponse<String> retried = post(name, body, "Authorization", "Bearer " + TOKEN, "Content-Type", "text/csv");
        HttpResponse<String> encoded = post("encoded-" + name, gzip(body), "Authorization", "Bearer " + TOKEN,
                "Content-Type", "text/csv", "Content-Encoding", "gzip");
        HttpResponse<String> packed = post(name + ".gz", gzip(body), "Authorization", "Bearer " + TOKEN,
                "Content-Type", "text/csv");
        for (HttpResponse<String> again : List.of(retried, encoded, packed)) {
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(id, ((Number) json(again).get("duplicate_of")).longValue());
            assertEquals("DUPLICATE", json(again).get("status"));
        }
        assertEquals(valid, new IngestFiles(dataSource).count("SELECT count(*) FROM raw_sensor_data WHERE file_id = ?", id));
        assertEquals(0L, new IngestFiles(dataSource).count("SELECT count(*) FROM raw_sensor_data r JOIN ingest_file f"
                + " ON f.id = r.file_id WHERE f.duplicate_of = ?", id), "no row twice");
    }

    @Test
    void aGzipEncodedUploadIsStoredUnderItsNameAndLoads() throws Exception {
        Path csv = synthetic(500, 0);
        String name = "encoded-" + System.nanoTime() + ".csv";

        HttpResponse<String> accepted = post(name, gzip(Files.readAllBytes(csv)), "Authorization",
                "Bearer second-test-token", "Content-Type", "text/csv; charset=utf-8", "Content-Encoding", "gzip");

        assertEquals(202, accepted.statusCode(), accepted.body());
        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);
        assertEquals("LOADED", file.get("status"));
        assertEquals(List.of(), ExpectedReadings.differences(dataSource, id(json(accepted)), csv));
    }

    @Test
    void theSameIdempotencyKeyGetsTheFirstAnswerAndWithAnotherBody422() throws Exception {
        byte[] body = Files.readAllBytes(synthetic(200, 0));
        String key = "key-" + System.nanoTime();
        String name = "keyed-" + System.nanoTime() + ".csv";

        HttpResponse<String> first = post(name, body, "Authorization", "Bearer " + TOKEN, "Content-Type", "text/csv",
                "Idempotency-Key", key);
        HttpResponse<String> again = post(name, body, "Authorization", "Bearer " + TOKEN, "Content-Type", "text/csv",
                "Idempotency-Key", key);
        HttpResponse<String> other = post(name, Files.readAllBytes(synthetic(200, 0)), "Authorization",
                "Bearer " + TOKEN, "Content-Type", "text/csv", "Idempotency-Key", key);
        HttpResponse<String> otherClient = post(name, body, "Authorization", "Bearer second-test-token",
                "Content-Type", "text/csv", "Idempotency-Key", key);

        assertEquals(202, first.statusCode(), first.body());
        assertEquals(202, again.statusCode(), "the first answer again: " + again.body());
        assertEquals(json(first), json(again));
        assertEquals(422, other.statusCode(), other.body());
        assertEquals("this Idempotency-Key was used with another body", json(other).get("error"));
        assertEquals(200, otherClient.statusCode(), "keys are per client: a plain duplicate for another token");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(List.of("LOADED", "DUPLICATE"),
                statuses(name), "one file loaded under that name, the other client's a duplicate"));
    }

    @Test
    void aBodyNoSourceTakesIsAnswered400AndQuarantinedWithItsReport() throws Exception {
        String name = "unknown-" + System.nanoTime() + ".csv";
        HttpResponse<String> refused = post(name, ("colour,shape\nred,round\n" + System.nanoTime() + ",x\n")
                .getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + TOKEN, "Content-Type", "text/csv");

        assertEquals(400, refused.statusCode(), refused.body());
        Map<String, Object> answer = json(refused);
        assertTrue(String.valueOf(answer.get("error")).startsWith("unknown header 'colour,shape': no source has these"
                + " columns"), String.valueOf(answer.get("error")));
        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);
        assertEquals(id(answer), file.get("id"));
        assertEquals("QUARANTINED", file.get("status"));
        assertEquals(answer.get("error"), file.get("error"), "the same reason as the pipeline's");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(Path.of(config.quarantineDir(), name + ".error.json")));
    }

    @Test
    void refusalsAnswerBeforeAnythingIsKept() throws Exception {
        byte[] body = Files.readAllBytes(synthetic(50, 0));
        String name = "refused-" + System.nanoTime() + ".csv";
        List<HttpResponse<String>> refused = new ArrayList<>();
        refused.add(post(name, body, "Content-Type", "text/csv"));
        refused.add(post(name, body, "Authorization", "Bearer wrong-token", "Content-Type", "text/csv"));
        refused.add(post(name, body, "Authorization", "Basic c3RhdHVzOnN0YXR1cw==", "Content-Type", "text/csv"));
        refused.add(post(name, body, "Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"));
        refused.add(post(name, body, "Authorization", "Bearer " + TOKEN, "Content-Type", "text/csv",
                "Content-Encoding", "br"));
        refused.add(post("../escape.csv", body, "Authorization", "Bearer " + TOKEN, "Content-Type", "text/csv"));
        refused.add(post("notes.txt", body, "Authorization", "Bearer " + TOKEN, "Content-Type", "text/csv"));
        refused.add(post(name, new byte[8 * 1024 * 1024 + 1], "Authorization", "Bearer " + TOKEN, "Content-Type", "text/csv"));
        // Sent without a length: refused once the bytes received pass the limit.
        refused.add(http.send(HttpRequest.newBuilder(ingest(name)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[9 * 1024 * 1024]))).build(),
                HttpResponse.BodyHandlers.ofString()));

        assertEquals(List.of(401, 401, 401, 415, 415, 400, 400, 413, 413),
                refused.stream().map(HttpResponse::statusCode).toList(), refused.stream().map(HttpResponse::body).toList().toString());
        assertEquals("Bearer", refused.get(0).headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals("the body must be Content-Type: text/csv, not application/json", json(refused.get(3)).get("error"));
        assertEquals("the body is larger than 8,388,608 bytes (pipeline.ingest.max-bytes)", json(refused.get(8)).get("error"));
        assertEquals(List.of(), statuses(name), "nothing recorded");
        assertTrue(Files.notExists(Path.of(config.dataDir(), name)));
        try (var spool = Files.list(Path.of(config.dataDir(), ".uploads"))) {
            assertEquals(List.of(), spool.toList(), "no spool file left");
        }
    }

    /** Uploads held open up to pipeline.ingest.max-in-flight (4 in the tests): one more is answered 429. */
    @Test
    void onePastTheUploadsInFlightIsAnswered429UntilOneEnds() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket(base.getHost(), base.getPort());
                socket.getOutputStream().write(("POST /ingest?name=slow-" + i + ".csv HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n"
                        + "sensor_id,").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                open.add(socket);
            }
            byte[] body = Files.readAllBytes(synthetic(50, 0));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> busy = post("busy-" + System.nanoTime() + ".csv", body, "Authorization",
                        "Bearer " + TOKEN, "Content-Type", "text/csv");
                assertEquals(429, busy.statusCode(), busy.body());
                assertEquals("1", busy.headers().firstValue("Retry-After").orElse(null));
            });
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
        byte[] body = Files.readAllBytes(synthetic(50, 0));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(202, post("after-" + System.nanoTime()
                + ".csv", body, "Authorization", "Bearer " + TOKEN, "Content-Type", "text/csv").statusCode(),
                "the places of broken-off uploads are given back"));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (var left = Files.list(Path.of(config.dataDir(), ".uploads"))) {
                return left.findAny().isEmpty();
            }
        });
    }

    private List<String> statuses(String name) throws Exception {
        List<String> statuses = new ArrayList<>();
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement("SELECT status FROM ingest_file WHERE file_name = ? ORDER BY id")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    statuses.add(rs.getString(1));
                }
            }
        }
        return statuses;
    }
}
