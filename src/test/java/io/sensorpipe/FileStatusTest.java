package io.sensorpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.IngestFiles;

/** {@code GET /status} over real HTTP, after a real file went through the pipeline. */
@QuarkusTest
class FileStatusTest {

    @Inject
    PipelineConfig config;

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/status")
    URI status;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void recentFilesAreListedWithTheirCountsAndQuarantineSummary() throws Exception {
        long salt = System.nanoTime();
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < 10; i++) {
            csv.append(i % 5 == 4 ? "2040,1025,42.686,23.351,2017-07-01T00:00:09,94000,-145.12,50.0"
                    : Csv.bme280Row(salt % 100_000, i)).append('\n');
        }
        String name = "status-" + salt + ".csv";
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        Files.writeString(dataDir.resolve(name + ".part"), csv);
        Files.move(dataDir.resolve(name + ".part"), dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Map<String, Object> file = new IngestFiles(dataSource).awaitFinished(name);

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(status + "?limit=5")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertEquals("reachable", body.get("database").asText());
        assertEquals(5, body.get("files").size(), "limit is honoured (earlier tests of this run recorded more files)");
        JsonNode entry = body.get("files").get(0);
        assertEquals(name, entry.get("file_name").asText(), "newest first");
        assertEquals(file.get("id"), entry.get("id").asLong());
        assertEquals("LOADED", entry.get("status").asText());
        assertEquals(10, entry.get("rows_total").asInt());
        assertEquals(8, entry.get("rows_loaded").asInt());
        assertEquals(2, entry.get("rows_quarantined").asInt());
        assertEquals("temperature", entry.get("rejections").get(0).get("field").asText());
        assertEquals("range", entry.get("rejections").get(0).get("rule").asText());
        assertEquals(2, entry.get("rejections").get(0).get("rows").asInt());
        assertTrue(entry.get("quarantine_files").toString().contains(name + ".errors.jsonl"), entry.toString());

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(status)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode(), "read-only");
    }
}
